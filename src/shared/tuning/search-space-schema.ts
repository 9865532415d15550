/**
 * The zod schema of the parameter tuner's search space (search-space.ts has the rest): the Worker validates a
 * request's space with it. Its own module so that the web app, which imports search-space.ts, does not load zod.
 */
import { z } from "zod";
import { MAX_RANGE_VALUES, PARAM_NAME, rangeLength, type SearchSpace, TOOL_CHOICES } from "./search-space.ts";

const RangeSchema = z
  .object({ min: z.number().finite().default(0), max: z.number().finite().default(1), step: z.number().finite().default(0.1) })
  .strict();
const ListSchema = z.array(z.union([z.string().max(200), z.number().finite(), z.boolean()])).max(100);

export const SearchSpaceSchema = z
  .record(z.string().regex(PARAM_NAME, "Parameter names are lowercase letters, digits and _"), z.union([ListSchema, RangeSchema]))
  .superRefine((space, ctx) => {
    for (const [name, dim] of Object.entries(space)) {
      if (Array.isArray(dim)) {
        if (dim.length === 0)
          ctx.addIssue({ code: "custom", path: [name], message: "An empty list gives no values: remove the parameter or list at least one" });
        if (name === "tool_choice") {
          for (const [i, v] of dim.entries()) {
            if (!TOOL_CHOICES.includes(v as (typeof TOOL_CHOICES)[number])) {
              ctx.addIssue({ code: "custom", path: [name, i], message: `tool_choice is one of ${TOOL_CHOICES.join(", ")}` });
            }
          }
        }
        continue;
      }
      if (name === "tool_choice") ctx.addIssue({ code: "custom", path: [name], message: "tool_choice takes a list, not a range" });
      if (dim.step <= 0) ctx.addIssue({ code: "custom", path: [name, "step"], message: "step must be greater than 0" });
      else if (dim.min > dim.max) ctx.addIssue({ code: "custom", path: [name, "min"], message: `min (${dim.min}) is greater than max (${dim.max})` });
      else if (rangeLength(dim) > MAX_RANGE_VALUES) {
        ctx.addIssue({ code: "custom", path: [name, "step"], message: `this range has ${rangeLength(dim)} values; use at most ${MAX_RANGE_VALUES}` });
      }
    }
  });

// search-space.ts writes SearchSpace by hand (so it needs no zod): this stops compiling if the two drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const SCHEMA_MATCHES_TYPE: Same<z.infer<typeof SearchSpaceSchema>, SearchSpace> = true;
void SCHEMA_MATCHES_TYPE;
