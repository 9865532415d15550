/** The zod side of request-limits.ts (Worker, CLI and settings schemas): kept apart so the web forms load no zod. */
import { z } from "zod";
import { type NumberBounds, rangeText } from "./request-limits.ts";

/** A zod number within `bounds`; every way of missing them gets the same message, with the value that was sent. */
export function boundedNumber(bounds: NumberBounds) {
  const error = (issue: { input?: unknown }) => `Must be ${rangeText(bounds)}${typeof issue.input === "number" ? ` (got ${issue.input})` : ""}`;
  const n = z.number({ error });
  return (bounds.integer ? n.int({ error }) : n).min(bounds.min, { error }).max(bounds.max, { error });
}
