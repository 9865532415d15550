/**
 * The authorization matrix, generated from the OpenAPI document:
 * - every operation that declares security × every kind of bad credential → 401 with the envelope;
 * - every operation with a `{param}` naming a user's resource, called by another user with the owner's real ids
 *   (each parameter foreign in turn) → 404, and the same call with the caller's own ids → not 404 (so the 404
 *   is about ownership, not a wrong fixture); ids in bodies (suite_id, job_id, case_ids) likewise;
 * - afterwards the owner's data, read back through the API, is unchanged.
 * A `{param}` or body id of a kind the matrix cannot supply fails it, so a new route is covered from day one.
 */
import { env } from "cloudflare:test";
import jwt from "@tsndr/cloudflare-worker-jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFixture, FIXTURE_MODEL, type Fixture, snapshot, waitForJob } from "./fixtures.ts";
import { call, expectEnvelope } from "./helpers.ts";
import { destructiveLast, fillPath, isOwned, loadDoc, type Operation, type OwnedKind, operationsOf, paramKind, resolve } from "./openapi.ts";
import { exampleOf, type GenContext } from "./schema-arb.ts";

const doc = await loadDoc();
const operations = operationsOf(doc);
const secured = operations.filter((o) => o.secured);
const withOwnedParams = operations.filter((o) => o.pathParams.some((p) => isOwned(paramKind(o.path, p.name))));

/** Operations that are public on purpose; any other operation without security fails the matrix. */
const PUBLIC = [
  "POST /api/auth/register",
  "POST /api/auth/login",
  "POST /api/auth/refresh",
  "POST /api/auth/logout",
  // Sharing (issue 16): a link share opens without signing in; its token is the credential.
  "GET /api/shared/{token}",
];

/** Body properties that carry an owned id, and those that look like ids but are not rows a user owns. */
const BODY_IDS: Record<string, OwnedKind> = {
  suite_id: "suite",
  job_id: "job",
  case_ids: "case",
  // Sharing (issue 16): POST /api/shares names the run (its example body's resource_type is benchmark_run).
  resource_id: "benchRun",
  experiment_id: "experiment",
  baseline_eval_id: "evalRun",
  eval_run_id: "evalRun",
  // LLM judge (issue 14)
  eval_run_id_a: "evalRun",
  eval_run_id_b: "evalRun",
};
const NOT_OWNED_IDS: Record<string, string> = {
  model_id: "a provider's model name, resolved under the caller's own providers",
};

let owner: Fixture;
let intruder: Fixture;
let ownerBefore: Record<string, unknown>;
let ctx: GenContext;
const tokens: Array<{ name: string; header: string | undefined; code: string }> = [];
let cells = 0;

const b64url = (s: string) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

beforeAll(async () => {
  owner = await buildFixture();
  intruder = await buildFixture();
  ownerBefore = await snapshot(owner);
  ctx = {
    doc,
    urls: [`${env.SIMULATOR_BASE_URL}/v1`],
    hints: {
      provider_key: [intruder.providerKey],
      model_id: [FIXTURE_MODEL],
      targets: [[{ provider_key: intruder.providerKey, model_id: FIXTURE_MODEL }]],
      suite_id: [intruder.ids.suite],
      job_id: [intruder.ids.job],
      case_ids: [[intruder.ids.case]],
      url: [`${env.SIMULATOR_BASE_URL}/mcp`],
      // Sharing (issue 16): valid values, so that only the run's owner decides the answer.
      expires_at: [new Date(Date.now() + 86_400_000).toISOString()],
      user_emails: [["nobody@example.com"]],
      // Experiments (issue 14)
      experiment_id: [intruder.ids.experiment],
      baseline_eval_id: [intruder.ids.evalRun],
      eval_run_id: [intruder.ids.evalRun],
      // LLM judge (issue 14)
      eval_run_id_a: [intruder.ids.evalRun],
      eval_run_id_b: [intruder.ids.evalRun],
    },
  };
  const now = Math.floor(Date.now() / 1000);
  const claims = (sub: string, iat: number, exp: number) => ({ sub, typ: "access", jti: crypto.randomUUID(), iat, exp });
  const sub = owner.account.user.id;
  const ticket = (await call("/api/auth/ws-ticket", { method: "POST", token: owner.account.token })).json.ticket;
  tokens.push(
    { name: "no token", header: undefined, code: "unauthorized" },
    { name: "a malformed token", header: "Bearer not-a.jwt.at-all", code: "unauthorized" },
    { name: "a non-Bearer scheme", header: `Basic ${btoa("a@b.c:password")}`, code: "unauthorized" },
    {
      name: "an unsigned token (alg none)",
      header: `Bearer ${b64url('{"alg":"none","typ":"JWT"}')}.${b64url(JSON.stringify(claims(sub, now, now + 600)))}.`,
      code: "unauthorized",
    },
    {
      name: "an expired token",
      header: `Bearer ${await jwt.sign(claims(sub, now - 3600, now - 60), env.JWT_SECRET!, "HS256")}`,
      code: "token_expired",
    },
    {
      name: "a token signed by a different secret",
      header: `Bearer ${await jwt.sign(claims(sub, now, now + 600), "another-secret-that-is-long-enough-0123456789", "HS256")}`,
      code: "unauthorized",
    },
    { name: "a WebSocket ticket as bearer", header: `Bearer ${ticket}`, code: "unauthorized" },
    {
      name: "a valid token of a user that does not exist",
      header: `Bearer ${await jwt.sign(claims("0".repeat(32), now, now + 600), env.JWT_SECRET!, "HS256")}`,
      code: "unauthorized",
    },
  );
}, 60_000);

/** The owner's id (or the caller's own) for each `{param}`; global params (the catalogue) get a valid key. */
function pathValues(op: Operation, foreign: (name: string) => boolean): Record<string, string> {
  return Object.fromEntries(
    op.pathParams.map((p) => {
      const kind = paramKind(op.path, p.name);
      if (!isOwned(kind)) return [p.name, "openai"];
      return [p.name, (foreign(p.name) ? owner : intruder).ids[kind]];
    }),
  );
}

const bodyOf = (op: Operation) => (op.body ? exampleOf(op.body, ctx) : undefined);

describe("authorization matrix", () => {
  it("has no operation without security except the deliberate public ones", () => {
    expect(
      operations
        .filter((o) => !o.secured)
        .map((o) => o.id)
        .sort(),
    ).toEqual([...PUBLIC].sort());
    expect(secured.length).toBeGreaterThanOrEqual(64);
  });

  for (const op of secured) {
    it(`${op.id}: 401 for every bad credential`, async () => {
      const path = fillPath(
        op.path,
        pathValues(op, () => true),
      );
      for (const t of tokens) {
        const r = await call(path, { method: op.method.toUpperCase(), headers: t.header ? { authorization: t.header } : {}, body: bodyOf(op) });
        cells += 1;
        expect(r.status, `${op.id} with ${t.name}: ${r.text}`).toBe(401);
        expectEnvelope(r, 401, t.code);
      }
    });
  }

  for (const op of withOwnedParams) {
    it(`${op.id}: another user's ids are 404`, async () => {
      const owned = op.pathParams.filter((p) => isOwned(paramKind(op.path, p.name))).map((p) => p.name);
      // All of the owner's ids, then (with several parameters) each one alone among the caller's own.
      const variants = [owned, ...(owned.length > 1 ? owned.map((n) => [n]) : [])];
      for (const foreign of variants) {
        const path = fillPath(
          op.path,
          pathValues(op, (n) => foreign.includes(n)),
        );
        const r = await call(path, { method: op.method.toUpperCase(), token: intruder.account.token, body: bodyOf(op) });
        cells += 1;
        expect(r.status, `${op.id} with the owner's ${foreign.join(", ")}: ${r.text}`).toBe(404);
        expectEnvelope(r, 404, "not_found");
      }
    });
  }

  it("ids in request bodies: another user's are 404 (lists of ids match nothing)", async () => {
    let checked = 0;
    for (const op of secured.filter((o) => o.body)) {
      const props = Object.keys(resolve(op.body!, doc).properties ?? {});
      for (const prop of props.filter((p) => /_ids?$/.test(p))) {
        const kind = BODY_IDS[prop];
        if (!kind) {
          expect(NOT_OWNED_IDS[prop], `${op.id}: body field "${prop}" looks like an id; add it to BODY_IDS or NOT_OWNED_IDS`).toBeDefined();
          continue;
        }
        const path = fillPath(
          op.path,
          pathValues(op, () => false),
        );
        const ownerIds = kind === "job" ? [owner.ids.job, owner.evalJob] : [owner.ids[kind]];
        for (const id of ownerIds) {
          const body = { ...(bodyOf(op) as object), [prop]: prop.endsWith("_ids") ? [id] : id };
          const r = await call(path, { method: op.method.toUpperCase(), token: intruder.account.token, body });
          cells += 1;
          checked += 1;
          if (prop.endsWith("_ids"))
            expect(r.status, `${op.id} ${prop}: ${r.text}`).toBeLessThan(500); // the snapshot proves no effect
          else expectEnvelope(r, 404, "not_found");
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  it("the caller's own ids are not 404 (the 404s above are about ownership)", async () => {
    for (const op of [...withOwnedParams].sort((a, b) => destructiveLast(a) - destructiveLast(b))) {
      const path = fillPath(
        op.path,
        pathValues(op, () => false),
      );
      const r = await call(path, { method: op.method.toUpperCase(), token: intruder.account.token, body: bodyOf(op) });
      cells += 1;
      expect(r.status, `${op.id} with the caller's own ids: ${r.text}`).not.toBe(404);
      expect(r.status, `${op.id} with the caller's own ids: ${r.text}`).toBeLessThan(500);
    }
  });

  it("leaves the owner's data unchanged", async () => {
    expect(await snapshot(owner)).toEqual(ownerBefore);
  });

  it("cannot cancel or delete another user's running job", async () => {
    const token = owner.account.token;
    const slow = "sim-ttft20000-len1"; // first token after 20 s: the job is surely running while we try
    expect((await call(`/api/v2/providers/${owner.ids.provider}/models`, { token, body: { model_id: slow } })).status).toBe(201);
    const run = await call("/api/benchmark", {
      token,
      body: { targets: [{ provider_key: owner.providerKey, model_id: slow }], runs: 1, warmup: false, max_tokens: 4 },
    });
    expect(run.status, run.text).toBe(200);
    const attempts = [
      call(`/api/jobs/${run.json.job_id}/cancel`, { method: "POST", token: intruder.account.token }),
      call("/api/benchmark/cancel", { token: intruder.account.token, body: { job_id: run.json.job_id } }),
      call(`/api/history/${run.json.run_id}`, { method: "DELETE", token: intruder.account.token }),
    ];
    for (const r of await Promise.all(attempts)) expectEnvelope(r, 404, "not_found");
    cells += attempts.length;
    // schedules (issue 15): "run now" of the intruder's own schedule (the own-id pass) started a job; let it end.
    for (const j of (await call("/api/jobs?status=pending,queued,running", { token: intruder.account.token })).json.jobs)
      await waitForJob(intruder.account.token, j.id);
    // The intruder has nothing active, so "cancel my latest" must not reach the owner's job either.
    expectEnvelope(await call("/api/benchmark/cancel", { token: intruder.account.token, body: {} }), 404, "not_found");
    cells += 1;
    expect((await call(`/api/jobs/${run.json.job_id}`, { token })).json.status).toMatch(/^(pending|queued|running)$/);
    expect((await call(`/api/jobs/${run.json.job_id}/cancel`, { method: "POST", token })).status).toBe(200);
    expect(await waitForJob(token, run.json.job_id)).toBe("cancelled");
    console.log(
      `[authz matrix] ${cells} cells: ${secured.length} secured operations × ${tokens.length} bad credentials, ${withOwnedParams.length} operations with owned {params}, body ids, own-id controls, a running job`,
    );
  });
});

// admin console (issue 16): every /api/admin operation is 403 for a signed-in user who is not an admin
describe("authorization matrix: admin operations", () => {
  const adminOps = secured.filter((o) => o.path.startsWith("/api/admin/"));

  it("covers the admin console", () => {
    expect(adminOps.length).toBeGreaterThanOrEqual(14);
  });

  for (const op of adminOps) {
    it(`${op.id}: 403 for a user`, async () => {
      const me = await call("/api/auth/me", { token: intruder.account.token });
      expect(me.json.user.role).toBe("user");
      const path = fillPath(op.path, Object.fromEntries(op.pathParams.map((p) => [p.name, p.name === "id" ? owner.account.user.id : "openai"])));
      const r = await call(path, { method: op.method.toUpperCase(), token: intruder.account.token, body: bodyOf(op) });
      cells += 1;
      expect(r.status, `${op.id}: ${r.text}`).toBe(403);
      expectEnvelope(r, 403, "forbidden");
    });
  }
});
