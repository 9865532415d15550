// Live state of the capacity probe on /capacity/ (submit, attach after a reload, events, cancel): the shared
// live-job shell (live-job-store.ts) told the probe's endpoints and its fold (capacity-live-fold.ts).
import type { BenchTarget } from "./benchmark-types";
import { type CapacityLiveState, capacityLive } from "./capacity-live-fold.ts";
import type { CapacityRequestBody, CapacitySubmitted } from "./capacity-types";
import { copyLiveCore } from "./live-job-reducer.ts";
import { createLiveJob } from "./live-job-store";

export type { CapacityLiveState };

const live = createLiveJob(capacityLive, {
  storageKey: "studio.capacity.job",
  wrongJobType: "That job is not a capacity probe.",
  cancelPath: (jobId) => `/api/capacity/${encodeURIComponent(jobId)}/cancel`,
  runPath: (runId) => `/api/capacity/history/${encodeURIComponent(runId)}`,
});

/** The Capacity page's side of the live probe (use-live-job.ts): its per-target lists are copied too. */
export const capacityJob = live.forPage((s) => ({
  ...copyLiveCore(s),
  levels: [...s.levels],
  slo: s.slo ? { ...s.slo } : null,
  stops: s.stops.map((x) => ({ ...x })),
  summaries: s.summaries.map((x) => ({ ...x })),
  timelines: s.timelines.map((x) => ({ ...x, points: x.points.slice() })),
}));
export const setCapacityCatalog = live.setCatalog;

/** Starts a probe; the ladder, loop and SLO show before the first event. */
export function submitCapacity(request: CapacityRequestBody, targets: BenchTarget[]): Promise<CapacitySubmitted> {
  return live.submit<CapacitySubmitted>("/api/capacity", request, (res) => ({
    runId: res.run_id,
    jobStatus: res.job_status,
    targets,
    extras: { levels: [...request.levels], loop: request.loop, slo: { ...request.slo } },
  }));
}
