// Live state of the capacity probe on /capacity/ (submit, attach after a reload, events, cancel): the shared
// live-job shell (live-job-store.ts) told the probe's endpoints and its fold (capacity-live-fold.ts).
import type { BenchTarget } from "./benchmark-types";
import { type CapacityLiveState, capacityLive } from "./capacity-live-fold.ts";
import type { CapacityRequestBody, CapacitySubmitted } from "./capacity-types";
import { createLiveJob } from "./live-job-store";

export type { CapacityLiveState };

const live = createLiveJob(capacityLive, {
  storageKey: "studio.capacity.job",
  wrongJobType: "That job is not a capacity probe.",
  cancelPath: (jobId) => `/api/capacity/${encodeURIComponent(jobId)}/cancel`,
  runPath: (runId) => `/api/capacity/history/${encodeURIComponent(runId)}`,
});

export const getCapacityLive = live.get;
export const onCapacityLive = live.subscribe;
export const setCapacityCatalog = live.setCatalog;
export const resumeCapacityJob = live.resume;
export const resetCapacityLive = live.reset;
export const cancelCapacity = live.cancel;

/** Starts a probe; the ladder, loop and SLO show before the first event. */
export function submitCapacity(request: CapacityRequestBody, targets: BenchTarget[]): Promise<CapacitySubmitted> {
  return live.submit<CapacitySubmitted>("/api/capacity", request, (res) => ({
    runId: res.run_id,
    jobStatus: res.job_status,
    targets,
    extras: { levels: [...request.levels], loop: request.loop, slo: { ...request.slo } },
  }));
}
