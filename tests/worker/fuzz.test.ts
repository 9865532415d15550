/**
 * Property-based fuzzing of every operation in the OpenAPI document (fast-check, fixed seed). Each operation gets
 * bodies, query strings and path parameters generated from its declared schemas, and hostile variants of them:
 * nulls, wrong types, huge or odd strings and numbers, deep nesting, extra/missing keys, malformed JSON, wrong
 * content types, foreign and garbage ids. The properties: no response is a 5xx, and every 4xx is the error
 * envelope. Then a null is tried in every field of every body, one at a time.
 *
 * Who fuzzes: a second account (the "fuzzer"), with a full set of its own resources so generated requests get
 * past ownership look-ups and reach the database. The "owner" is a different account whose data is snapshotted
 * through the API before and after and must be identical. Fuzzing as the owner would mean predicting the
 * legitimate effect of every accepted mutation; the snapshot would then test that model, not the server. A
 * separate owner makes "unchanged" exact, and since the fuzzer also sends the owner's ids in paths and bodies,
 * it doubles as a tenant-isolation check under hostile input.
 */
import { env } from "cloudflare:test";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFixture, FIXTURE_MODEL, type Fixture, snapshot, waitForJob } from "./fixtures.ts";
import { call } from "./helpers.ts";
import { destructiveLast, fillPath, isOwned, loadDoc, type Operation, type OwnedKind, operationsOf, paramKind, resolve } from "./openapi.ts";
import {
  CONTENT_TYPES,
  exampleOf,
  type GenContext,
  HOSTILE_PATH_VALUES,
  HOSTILE_QUERY_VALUES,
  mutationArb,
  nodePaths,
  rawBodyArb,
  serialize,
  valueArb,
} from "./schema-arb.ts";

const SEED = 20261205;
const doc = await loadDoc();
// Deletes last, so the fuzzer's own resources survive until every other operation has had its turn.
const operations = operationsOf(doc).sort((a, b) => destructiveLast(a) - destructiveLast(b));

let owner: Fixture;
let fuzzer: Fixture;
let ownerBefore: Record<string, unknown>;
let ctx: GenContext;
let requests = 0;
let upstreamErrors = 0;

beforeAll(async () => {
  owner = await buildFixture();
  fuzzer = await buildFixture();
  ownerBefore = await snapshot(owner);
  const sim = env.SIMULATOR_BASE_URL;
  const target = { provider_key: fuzzer.providerKey, model_id: FIXTURE_MODEL };
  ctx = {
    doc,
    urls: [`${sim}/v1`, "http://127.0.0.1:9/v1"],
    hints: {
      // Only loopback providers: a key stored for a catalogue provider would send the fuzzer's next health probe
      // or benchmark to the real provider on the internet.
      provider_key: [fuzzer.providerKey, "local_simulator", "nope"],
      model_id: [FIXTURE_MODEL],
      targets: [[target]],
      models: [[FIXTURE_MODEL]],
      runs: [1],
      warmup: [false],
      context_tiers: [[0]],
      suite_id: [fuzzer.ids.suite, owner.ids.suite],
      job_id: [fuzzer.ids.job, fuzzer.evalJob, owner.ids.job, owner.evalJob],
      case_ids: [[fuzzer.ids.case], [owner.ids.case], [fuzzer.ids.case, owner.ids.case]],
      key: [fuzzer.ids.prompt, owner.ids.prompt],
      url: [`${sim}/mcp`, `${sim}/mcp/empty`],
      email: [fuzzer.account.email, "fuzz-1@example.com", "fuzz-2@example.com"],
      password: [fuzzer.account.password],
      // Sharing (issue 16)
      resource_id: [fuzzer.ids.benchRun, fuzzer.ids.evalRun, owner.ids.benchRun],
      user_emails: [["nobody@example.com"]],
      // Experiments (issue 14)
      experiment_id: [fuzzer.ids.experiment, owner.ids.experiment],
      baseline_eval_id: [fuzzer.ids.evalRun, owner.ids.evalRun],
      eval_run_id: [fuzzer.ids.evalRun, owner.ids.evalRun],
      // schedules (issue 15)
      interval_hours: [1, 24, 720],
      cron: ["0 3 * * *", "*/5 * * * *", "61 * * * *"],
      timezone: ["Europe/Berlin", "UTC", "Mars/Olympus"],
      ids: [[fuzzer.ids.alert], [owner.ids.alert]],
      // LLM judge (issue 14)
      eval_run_id_a: [fuzzer.ids.evalRun, owner.ids.evalRun],
      eval_run_id_b: [fuzzer.ids.evalRun, owner.ids.evalRun],
      judge_model: [`${fuzzer.providerKey}::${FIXTURE_MODEL}`, "nope"],
    },
  };
}, 60_000);

interface FuzzRequest {
  path: string;
  method: string;
  body?: string;
  contentType?: string | null;
  how: string;
}

function idsFor(f: Fixture, kind: ReturnType<typeof paramKind>): string[] {
  if (kind === "catalogue") return ["openai", "local_simulator", "nope"];
  // admin console (issue 16): the fuzzer is no admin, so any id is refused (403) before it is looked up.
  if (kind === "admin") return [f.account.user.id, f.ids.job, "openai"];
  // Sharing (issue 16): the fuzzer's own link, and tokens that open nothing.
  if (kind === "shareToken") return [f.shareToken, "A".repeat(43), "nope"];
  return [f.ids[kind as OwnedKind]];
}

function pathArb(op: Operation): fc.Arbitrary<{ path: string; how: string }> {
  if (!op.pathParams.length) return fc.constant({ path: op.path, how: "" });
  const perParam = op.pathParams.map((p) => {
    const kind = paramKind(op.path, p.name);
    return fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...idsFor(fuzzer, kind)).map((v) => ({ v, raw: false, how: "" })) },
      { weight: isOwned(kind) ? 2 : 0, arbitrary: fc.constantFrom(...idsFor(owner, kind)).map((v) => ({ v, raw: false, how: `owner's ${kind}` })) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(...HOSTILE_PATH_VALUES).map((v) => ({ v, raw: true, how: `{${p.name}}=${JSON.stringify(v.slice(0, 20))}` })),
      },
      {
        weight: 1,
        arbitrary: fc
          .string({ maxLength: 80, unit: "grapheme" })
          .filter((s) => s.length > 0)
          .map((v) => ({ v, raw: false, how: `{${p.name}}=random` })),
      },
    );
  });
  return fc.tuple(...perParam).map((vals) => {
    let path = op.path;
    vals.forEach((x, i) => {
      const name = op.pathParams[i]!.name;
      path = path.replace(`{${name}}`, fillPath(`{${name}}`, { [name]: x.v }, x.raw));
    });
    return {
      path,
      how: vals
        .map((x) => x.how)
        .filter(Boolean)
        .join(", "),
    };
  });
}

function queryArb(op: Operation): fc.Arbitrary<{ query: string; how: string }> {
  const params = op.queryParams.map((p) =>
    fc.option(
      fc.oneof(
        valueArb(p.schema, ctx, p.name).map((v) => ({ name: p.name, v: String(v) })),
        fc.constantFrom(...HOSTILE_QUERY_VALUES).map((v) => ({ name: p.name, v })),
      ),
      { freq: 3 },
    ),
  );
  const extra = fc.option(fc.constantFrom("zzz=1", "limit=1&limit=2", "status=", "%zz=%zz", "a[b]=c"), { freq: 4 });
  return fc.tuple(fc.tuple(...params), extra).map(([vals, more]) => {
    const q = new URLSearchParams();
    for (const x of vals) if (x) q.append(x.name, x.v);
    const parts = [q.toString(), more ?? ""].filter(Boolean);
    return { query: parts.length ? `?${parts.join("&")}` : "", how: parts.length ? `query ${parts.join("&").slice(0, 60)}` : "" };
  });
}

function bodyArb(op: Operation): fc.Arbitrary<{ body?: string; contentType?: string | null; how: string }> {
  if (!op.body) {
    // GET/DELETE without a declared body: nothing to send (fetch refuses a GET body); POSTs get junk sometimes.
    if (op.method === "get" || op.method === "delete") return fc.constant({ how: "" });
    return fc.oneof(
      fc.constant({ how: "" }),
      fc.constantFrom('{"x":1}', "[]", "{", "null").map((b) => ({ body: b, how: `unexpected body ${b}` })),
    );
  }
  const valid = valueArb(op.body, ctx);
  const validText = valid.map((v) => serialize(v));
  return fc.oneof(
    { weight: 4, arbitrary: valid.map((v) => ({ body: serialize(v), how: "schema-valid body" })) },
    { weight: 4, arbitrary: mutationArb(valid).map((m) => ({ body: serialize(m.value), how: m.how })) },
    { weight: 1, arbitrary: rawBodyArb(validText).map((r) => ({ body: r.text, how: r.how })) },
    {
      weight: 1,
      arbitrary: fc.tuple(validText, fc.constantFrom(...CONTENT_TYPES)).map(([t, ct]) => ({ body: t, contentType: ct, how: `content-type ${ct}` })),
    },
  );
}

function requestArb(op: Operation): fc.Arbitrary<FuzzRequest> {
  return fc.tuple(pathArb(op), queryArb(op), bodyArb(op)).map(([p, q, b]) => ({
    method: op.method.toUpperCase(),
    path: p.path + q.query,
    body: b.body,
    contentType: b.contentType,
    how: [p.how, q.how, b.how].filter(Boolean).join("; ") || "plain",
  }));
}

/** Sends one request as the fuzzer; throws (for fast-check to report and shrink) when a property fails. */
async function send(op: Operation, req: FuzzRequest) {
  requests += 1;
  const r = await call(req.path, {
    method: req.method,
    token: op.secured ? fuzzer.account.token : undefined,
    rawBody: req.body,
    contentType: req.contentType,
  });
  const what = `${op.id} (${req.how}) → ${r.status} ${r.text.slice(0, 300)}`;
  if (isDeclaredUpstreamError(op, r)) upstreamErrors += 1;
  else if (r.status >= 500) throw new Error(`server error: ${what}`);
  if (r.status >= 400) {
    const j = r.json;
    const envelope = j && typeof j.error === "string" && typeof j.code === "string" && typeof j.request_id === "string";
    if (!envelope) throw new Error(`4xx without the error envelope: ${what}`);
    if (j.request_id !== r.res.headers.get("x-request-id")) throw new Error(`envelope request_id differs from X-Request-ID: ${what}`);
  }
  return r;
}

/**
 * The one 5xx that is not a fault of ours: an operation that talks to a server the user names (MCP discovery)
 * documents 502/504 for when that server answers wrongly or not at all. Counted, and still needs the envelope.
 */
function isDeclaredUpstreamError(op: Operation, r: { status: number; json: any }) {
  return (
    op.responses.includes(String(r.status)) && ["upstream_error", "upstream_timeout"].includes(r.json?.code) && typeof r.json?.request_id === "string"
  );
}

/** Fewer runs where a request does little (no inputs) or costs a bcrypt hash (sign-up, login). */
function runsFor(op: Operation): number {
  if (op.path === "/api/auth/register" || op.path === "/api/auth/login") return 15;
  if (op.body) return 60;
  return op.pathParams.length || op.queryParams.length ? 30 : 10;
}

describe("fuzzing every operation in the OpenAPI document", () => {
  it("covers the whole document", () => {
    expect(operations.length).toBeGreaterThanOrEqual(68);
    // Every {param} has a known kind (paramKind throws otherwise), so every route can be given real ids.
    for (const op of operations) for (const p of op.pathParams) paramKind(op.path, p.name);
  });

  for (const op of operations) {
    it(`${op.id}: no 5xx, every 4xx is the envelope`, async () => {
      const seed = SEED ^ [...op.id].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) | 0, 0);
      await fc.assert(
        fc.asyncProperty(requestArb(op), async (req) => {
          await send(op, req);
        }),
        { seed, numRuns: runsFor(op), plugins: [fc.interruptAfterTimeLimit(20_000)] },
      );
    });
  }

  it("answers a null in any field of any body, alone or in a full body, without a 5xx", async () => {
    const failures: string[] = [];
    for (const op of operations.filter((o) => o.body)) {
      const path = fillPath(op.path, Object.fromEntries(op.pathParams.map((p) => [p.name, idsFor(fuzzer, paramKind(op.path, p.name))[0]!])));
      const example = exampleOf(op.body!, ctx);
      const props = Object.keys(resolve(op.body!, doc).properties ?? {});
      const variants = [
        ...props.map((k) => ({ value: { [k]: null }, how: `{"${k}": null}` })),
        ...nodePaths(example)
          .slice(1)
          .map((at) => ({ value: setNull(example, at), how: `null at ${at.join(".")} of a full body` })),
      ];
      for (const v of variants) {
        try {
          await send(op, { method: op.method.toUpperCase(), path, body: JSON.stringify(v.value), how: v.how });
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("leaves the owner's data unchanged", async () => {
    // Stop the fuzzer's jobs first, so no consumer outlives the file.
    const active = await call("/api/jobs?status=pending,queued,running&limit=200", { token: fuzzer.account.token });
    for (const j of active.json?.jobs ?? []) await call(`/api/jobs/${j.id}/cancel`, { method: "POST", token: fuzzer.account.token });
    for (const j of active.json?.jobs ?? []) await waitForJob(fuzzer.account.token, j.id);
    expect(await snapshot(owner)).toEqual(ownerBefore);
    console.log(
      `[fuzz] ${requests} requests over ${operations.length} operations (seed ${SEED}); 0 server errors, ${upstreamErrors} declared upstream 502/504`,
    );
  });
});

function setNull(v: unknown, at: Array<string | number>): unknown {
  const copy = structuredClone(v) as any;
  const parent = at.slice(0, -1).reduce((o, k) => o[k], copy);
  parent[at.at(-1)!] = null;
  return copy;
}
