// Shares as /api/shares returns them (src/worker/routes/shares.ts).
export type ShareResourceType = "benchmark_run" | "tool_eval_run" | "leaderboard" | "experiment";

export interface Share {
  id: string;
  resource_type: ShareResourceType;
  resource_id: string;
  title: string | null;
  kind: "link" | "accounts";
  recipients: string[];
  url: string | null;
  created_at: string;
  expires_at: string | null;
  expired: boolean;
  open_count: number;
  last_opened_at: string | null;
}

export interface ShareCreated extends Share {
  token: string | null;
  url: string;
}

export interface ReceivedShare {
  id: string;
  resource_type: ShareResourceType;
  title: string | null;
  shared_by: string;
  url: string;
  created_at: string;
  expires_at: string | null;
}

export const SHARE_TYPE_LABEL: Record<ShareResourceType, string> = {
  benchmark_run: "Benchmark run",
  tool_eval_run: "Tool-eval run",
  leaderboard: "Leaderboard",
  experiment: "Experiment",
};

/** The expiry choices the dialog offers, in days (null = until revoked). */
export const EXPIRY_CHOICES: Array<{ label: string; days: number | null }> = [
  { label: "Never (until revoked)", days: null },
  { label: "1 day", days: 1 },
  { label: "7 days", days: 7 },
  { label: "30 days", days: 30 },
];

/** Where the owner previews a share signed in (a link's own address is only shown when it is created). */
export const previewUrl = (id: string) => `/shared/?share=${encodeURIComponent(id)}`;

/** The resource id of a leaderboard view (for ShareButton on the Analytics page): `benchmark:30d`, `tool_eval:all:<suite id>`. */
export const leaderboardShareId = (type: "benchmark" | "tool_eval", period: "7d" | "30d" | "90d" | "all", suiteId?: string | null) =>
  suiteId && type === "tool_eval" ? `${type}:${period}:${suiteId}` : `${type}:${period}`;
