/**
 * The contract of one shareable resource type (an entry of SHARE_TYPES in registry.ts). Its own file so each
 * loader can implement it without importing the registry that lists the loaders.
 */
import type { z } from "@hono/zod-openapi";
import type { Db } from "../db/client.ts";

export interface ShareableType<V extends z.ZodType = z.ZodType> {
  /** Human name, e.g. "Benchmark run". */
  label: string;
  /** The public view's schema: documents it (OpenAPI) and, by parsing, drops every field it does not name. */
  view: V;
  /** A message when `id` cannot name a resource of this type (a 400), before any look-up; absent = any id. */
  checkId?(id: string): string | null;
  /** A short title for each of the owner's resources among `ids` (missing or foreign ids are left out). */
  titles(db: Db, ownerId: string, ids: string[]): Promise<Map<string, string>>;
  /** The public view of the owner's resource, or null when it no longer exists. */
  load(db: Db, ownerId: string, id: string): Promise<z.infer<V> | null>;
}
