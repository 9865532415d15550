/** Audit-log writer. Writing never throws: an audit failure is logged, and the request carries on. */
import type { Context } from "hono";
import type { Db } from "../db/client.ts";
import { auditLog } from "../db/schema.ts";
import type { AppEnv } from "./http.ts";
import { clientIp } from "./request.ts";

export interface AuditEntry {
  action: string;
  userId?: string | null;
  email?: string | null;
  resourceType?: string;
  resourceId?: string;
  detail?: Record<string, unknown>;
}

export async function audit(c: Context<AppEnv>, entry: AuditEntry): Promise<void> {
  try {
    await c.var.db.insert(auditLog).values({
      action: entry.action,
      userId: entry.userId ?? null,
      email: entry.email ?? null,
      resourceType: entry.resourceType ?? null,
      resourceId: entry.resourceId ?? null,
      detail: entry.detail ?? null,
      ip: clientIp(c.req.raw),
      userAgent: c.req.header("user-agent")?.slice(0, 300) ?? null,
      requestId: c.var.requestId,
    });
  } catch (err) {
    c.var.log.error("audit write failed", { action: entry.action, err: String(err) });
  }
}

/** The same record written outside a request (the queue consumer acting for a schedule): no IP, no user agent. */
export async function auditWithoutRequest(db: Db, entry: AuditEntry): Promise<void> {
  try {
    await db.insert(auditLog).values({
      action: entry.action,
      userId: entry.userId ?? null,
      email: entry.email ?? null,
      resourceType: entry.resourceType ?? null,
      resourceId: entry.resourceId ?? null,
      detail: entry.detail ?? null,
    });
  } catch {
    // never throws, like audit(): the job was submitted either way
  }
}
