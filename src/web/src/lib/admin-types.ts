// Response shapes of /api/admin (src/worker/routes/admin.ts), as the admin page reads them.
import type { JobView } from "../../../shared/jobs.ts";

export interface AdminUser {
  id: string;
  email: string;
  role: "admin" | "user";
  created_at: string;
  last_login: string | null;
  benchmark_count: number;
  eval_count: number;
  job_count: number;
  key_count: number;
  active_jobs: number;
  is_self: boolean;
}

export interface UserLimits {
  benchmarks_per_hour: number;
  max_concurrent: number;
  max_runs_per_benchmark: number;
  updated_at: string | null;
}

export interface AuditEntry {
  id: number;
  created_at: string;
  user_id: string | null;
  user_email: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  detail: unknown;
  ip: string | null;
}

export type AdminJob = JobView & { user_id: string; user_email: string };

export interface AdminStats {
  runs_24h: number;
  runs_7d: number;
  runs_30d: number;
  runs_by_type_30d: Array<{ job_type: string; count: number }>;
  top_users: Array<{ user_id: string; email: string; count: number }>;
  keys_by_provider: Array<{ provider_key: string; user_count: number }>;
  shared_keys: number;
  total_users: number;
}

export interface AdminSystem {
  db_size_bytes: number | null;
  db_size_mb: number | null;
  active_jobs: number;
  queued_jobs: number;
  connected_sockets: number;
  users_connected: number;
  log_events: number;
  version: string;
}

export interface LogEvent {
  id: number;
  created_at: string;
  level: "warn" | "error";
  message: string;
  request_id: string | null;
  fields: Record<string, unknown>;
}

export interface SharedKey {
  provider_key: string;
  display_name: string;
  api_kind: "openai" | "anthropic";
  api_base: string;
  last4: string | null;
  updated_at: string;
  updated_by_email: string | null;
}

/** Page sizes of the audit and log tabs. */
export const ADMIN_PAGE_SIZE = 50;
