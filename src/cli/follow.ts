/**
 * Follows one job on the deployment over the user's WebSocket (the same events the web app reads, checked with the
 * shared ServerEventSchema) until it ends. The socket is opened before the job is submitted and events are kept
 * per job id, so nothing sent while the submit request is still answering is lost. A status poll every few seconds
 * covers a dropped socket. Aborting `signal` (Ctrl+C) cancels the job on the server and waits for it to end.
 */

import { type ServerEvent, ServerEventSchema } from "../shared/events.ts";
import { TERMINAL_STATUSES } from "../shared/jobs.ts";
import type { Deployment } from "./deployment.ts";

export type JobEnd = "done" | "failed" | "cancelled" | "interrupted";
type JobEvent = Extract<ServerEvent, { job_id: string }>;

const POLL_MS = 3000;

export class JobFollower {
  readonly #deployment: Deployment;
  readonly #ws: WebSocket;
  readonly #seen = new Map<string, JobEvent[]>();
  #listener: ((e: JobEvent) => void) | null = null;
  #watched: string | null = null;

  private constructor(deployment: Deployment, ws: WebSocket) {
    this.#deployment = deployment;
    this.#ws = ws;
    ws.addEventListener("message", (m) => {
      let parsed: ReturnType<typeof ServerEventSchema.safeParse>;
      try {
        parsed = ServerEventSchema.safeParse(JSON.parse(String(m.data)));
      } catch {
        return;
      }
      if (!parsed.success || !("job_id" in parsed.data)) return;
      const event = parsed.data as JobEvent;
      if (event.job_id === this.#watched) this.#listener?.(event);
      else {
        const list = this.#seen.get(event.job_id) ?? [];
        list.push(event);
        this.#seen.set(event.job_id, list);
      }
    });
  }

  static async open(deployment: Deployment): Promise<JobFollower> {
    return new JobFollower(deployment, await deployment.socket());
  }

  close(): void {
    this.#ws.close(1000, "done");
  }

  /** Calls `onEvent` with the job's events (those already received first) until the job ends; returns how it ended. */
  async follow(jobId: string, onEvent: (e: JobEvent) => void, signal: AbortSignal): Promise<JobEnd> {
    let settle: (end: JobEnd) => void = () => {};
    const ended = new Promise<JobEnd>((resolve) => {
      settle = resolve;
    });
    const handle = (e: JobEvent) => {
      onEvent(e);
      if (e.type === "job_completed") settle("done");
      else if (e.type === "job_failed") settle("failed");
      else if (e.type === "job_cancelled") settle("cancelled");
    };
    this.#watched = jobId;
    this.#listener = handle;
    for (const e of this.#seen.get(jobId) ?? []) handle(e);
    this.#seen.delete(jobId);

    let cancelling = false;
    const cancel = () => {
      if (cancelling) return;
      cancelling = true;
      this.#deployment.json(`/api/jobs/${encodeURIComponent(jobId)}/cancel`, { method: "POST", body: {} }).catch(() => {
        // the status poll still ends the wait; the job may already have ended
      });
    };
    if (signal.aborted) cancel();
    else signal.addEventListener("abort", cancel, { once: true });
    const poll = setInterval(() => {
      this.#deployment
        .json<{ status: string }>(`/api/jobs/${encodeURIComponent(jobId)}`)
        .then((j) => {
          if ((TERMINAL_STATUSES as readonly string[]).includes(j.status)) settle(j.status as JobEnd);
        })
        .catch(() => {
          // a missed poll is retried; the socket usually ends the wait first
        });
    }, POLL_MS);
    try {
      return await ended;
    } finally {
      clearInterval(poll);
      signal.removeEventListener("abort", cancel);
      this.#listener = null;
      this.#watched = null;
    }
  }
}
