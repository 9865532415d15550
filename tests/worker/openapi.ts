/**
 * The OpenAPI document as test input: every operation with its path/query parameters, request body schema and
 * security, and the kind of resource each `{param}` names. The fuzzer and the authorization matrix are generated
 * from this, so a new route is covered the day it is added; a `{param}` of an unknown kind fails them loudly.
 */
import { call } from "./helpers.ts";

export type JsonSchema = Record<string, any>;
export type Method = "get" | "post" | "put" | "patch" | "delete";

export interface Parameter {
  name: string;
  in: "path" | "query";
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  id: string; // "PUT /api/settings/phase10"
  method: Method;
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  body?: JsonSchema; // application/json request body schema ($refs unresolved)
  secured: boolean;
  responses: string[];
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, JsonSchema> };
}

export async function loadDoc(): Promise<OpenApiDoc> {
  const r = await call("/api/openapi.json");
  if (r.status !== 200) throw new Error(`openapi.json: ${r.status}`);
  return r.json;
}

export function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ["get", "post", "put", "patch", "delete"] as Method[]) {
      const op = item[method];
      if (!op) continue;
      const params: Parameter[] = (op.parameters ?? []).map((p: any) => ({
        name: p.name,
        in: p.in,
        required: Boolean(p.required),
        schema: p.schema ?? {},
      }));
      ops.push({
        id: `${method.toUpperCase()} ${path}`,
        method,
        path,
        pathParams: params.filter((p) => p.in === "path"),
        queryParams: params.filter((p) => p.in === "query"),
        body: op.requestBody?.content?.["application/json"]?.schema,
        secured: Boolean(op.security?.length),
        responses: Object.keys(op.responses ?? {}),
      });
    }
  }
  return ops;
}

/** Follows `$ref`s into components (one level at a time, as often as needed). */
export function resolve(schema: JsonSchema, doc: OpenApiDoc): JsonSchema {
  let s = schema;
  for (let i = 0; s?.$ref && i < 10; i++) s = doc.components.schemas[String(s.$ref).replace("#/components/schemas/", "")]!;
  return s;
}

/** Resources a user owns, addressable by a path parameter: another user's must be indistinguishable from none. */
export const OWNED_KINDS = [
  "provider",
  "model",
  "job",
  "benchRun",
  "evalRun",
  "tuneRun",
  "promptTuneRun",
  "suite",
  "case",
  "prompt",
  // Sharing (issue 16)
  "share",
  "experiment",
  // schedules and their alerts (issue 15)
  "schedule",
  "alert",
  // LLM judge (issue 14)
  "judgeReport",
  "judgeVerdict",
  // capacity probe (issue 18): a probe, and its job (POST /api/capacity/{job_id}/cancel)
  "capacityRun",
  "capacityJob",
] as const;
export type OwnedKind = (typeof OWNED_KINDS)[number];
/** Path parameters that name something global (the provider catalogue), not a user's resource. */
export const GLOBAL_KINDS = [
  "catalogue",
  // admin console (issue 16): an admin addresses any user's rows; a non-admin gets 403 before any lookup
  "admin",
  // Sharing (issue 16): a link's token opens the share for anyone, so it is not owned (GET /api/shared/{token}).
  "shareToken",
] as const;
export type ParamKind = OwnedKind | (typeof GLOBAL_KINDS)[number];

const SEGMENT_KIND: Record<string, ParamKind> = {
  providers: "provider",
  models: "model",
  jobs: "job",
  "tool-suites": "suite",
  cases: "case",
  prompts: "prompt",
  eval: "evalRun", // /api/export/eval/{id}
  "provider-catalogue": "catalogue",
  // Sharing (issue 16)
  shares: "share",
  shared: "shareToken",
  experiments: "experiment", // experiments (issue 14)
  run: "benchRun", // /api/export/run/{id} (analytics, issue 15)
  schedules: "schedule", // schedules (issue 15)
  alerts: "alert", // /api/alerts/{id}/acknowledge (issue 15)
  // LLM judge (issue 14): /api/tool-eval/judge/reports/{id}/verdicts/{verdict_id}
  reports: "judgeReport",
  verdicts: "judgeVerdict",
};

/** The kind of resource `{name}` in `path` addresses, from the segment before it; throws for an unknown one. */
export function paramKind(path: string, name: string): ParamKind {
  const segments = path.split("/");
  const at = segments.indexOf(`{${name}}`);
  const before = segments[at - 1] ?? "";
  const kind: ParamKind | undefined = path.startsWith("/api/admin/")
    ? "admin"
    : path.startsWith("/api/capacity/")
      ? capacityKind(before, name)
      : before === "history"
        ? path.startsWith("/api/tool-eval/param-tune/")
          ? "tuneRun"
          : path.startsWith("/api/tool-eval/prompt-tune/")
            ? "promptTuneRun"
            : path.startsWith("/api/tool-eval/")
              ? "evalRun"
              : "benchRun"
        : SEGMENT_KIND[before];
  if (!kind) {
    throw new Error(
      `${path}: no resource kind for {${name}} (segment "${before}"). Add it to SEGMENT_KIND in tests/worker/openapi.ts ` +
        `and create one in buildFixture (tests/worker/fixtures.ts) so the fuzzer and the authorization matrix cover the route.`,
    );
  }
  return kind;
}

/** Capacity probe (issue 18): /api/capacity/history/{id} names a probe, /api/capacity/{job_id}/cancel its job. */
function capacityKind(before: string, name: string): ParamKind | undefined {
  if (before === "history") return "capacityRun";
  return name === "job_id" ? "capacityJob" : undefined;
}

export function isOwned(kind: ParamKind): kind is OwnedKind {
  return (OWNED_KINDS as readonly string[]).includes(kind);
}

/** `path` with each `{param}` replaced by `values[param]` (percent-encoded unless `raw`). */
export function fillPath(path: string, values: Record<string, string>, raw = false): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`${path}: no value for {${name}}`);
    return raw ? v : encodeURIComponent(v);
  });
}

/**
 * Sort key that runs destructive operations (deletes, bulk deletes) last and children before parents (deeper
 * paths first, providers after their models), so each still finds the caller's own resource to act on.
 */
export function destructiveLast(op: Operation): number {
  if (op.method !== "delete" && !op.path.endsWith("/bulk-delete")) return 0;
  // An experiment is a suite's child (deleted with it), so it goes first among equally deep paths (issue 14).
  return 100 - op.path.split("/").length + (op.path.includes("/providers/") ? 50 : 0) - (op.path.startsWith("/api/experiments/") ? 1 : 0);
}
