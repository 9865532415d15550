/**
 * What can be shared: one entry per resource type. An entry finds the owner's resource (never anyone else's: every
 * look-up is by owner and id) and builds its public view from an explicit allow-list: a zod object schema whose
 * parse keeps only the fields it names, so a field added to the run's own API later stays private until it is
 * added here on purpose. Adding a type (the experiment timeline, a leaderboard view) is one entry: a loader file
 * beside these and a line in SHARE_TYPES; the table, routes, audit and pages need no change (docs note: sharing).
 */
import { z } from "@hono/zod-openapi";
import { benchmarkRunShare } from "./benchmark-run.ts";
import { experimentTimelineShare } from "./experiment-timeline.ts";
import { leaderboardShare } from "./leaderboard.ts";
import type { ShareableType } from "./shareable.ts";
import { toolEvalRunShare } from "./tool-eval-run.ts";

export type { ShareableType } from "./shareable.ts";

export const SHARE_TYPES = {
  benchmark_run: benchmarkRunShare,
  tool_eval_run: toolEvalRunShare,
  leaderboard: leaderboardShare,
  experiment: experimentTimelineShare,
} satisfies Record<string, ShareableType>;

export type ShareResourceType = keyof typeof SHARE_TYPES;
export const SHARE_RESOURCE_TYPES = Object.keys(SHARE_TYPES) as [ShareResourceType, ...ShareResourceType[]];
export const ShareResourceTypeSchema = z.enum(SHARE_RESOURCE_TYPES).openapi({ description: "What is shared (one registry entry per type)" });

export function shareType(type: ShareResourceType): ShareableType {
  return SHARE_TYPES[type];
}
