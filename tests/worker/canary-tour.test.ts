/**
 * The canary scan (canary-scan.ts) checks the traffic of every worker test file; this file makes sure the secrets
 * are actually in play while it looks. A user's canary key is stored and used for real calls (benchmarks, a tool
 * eval, health probes, a provider failing with 401/500), the operator's canary key is used through a provider
 * that names its variable, a WebSocket watches the jobs, and then every operation in the OpenAPI document is
 * called once as that user. Whatever comes back, or is logged, is scanned when the file ends. First, the scanner
 * itself is shown to find each canary in each encoded form.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CANARY, canaryNeedles } from "./canaries.ts";
import { buildFixture, FIXTURE_MODEL, waitForJob } from "./fixtures.ts";
import { call } from "./helpers.ts";
import { destructiveLast, fillPath, isOwned, loadDoc, operationsOf, paramKind } from "./openapi.ts";
import { exampleOf } from "./schema-arb.ts";
import { openSocket } from "./sockets.ts";
import { recordLogLine, traffic } from "./traffic.ts";

describe("canary secrets", () => {
  it("are found by the scanner in every form, embedded anywhere", () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    const b64 = (u: Uint8Array) => btoa(String.fromCharCode(...u));
    const hex = (u: Uint8Array) => [...u].map((b) => b.toString(16).padStart(2, "0")).join("");
    const t = traffic();
    const hitsBefore = t.hits.length;
    const planted = [CANARY.USER_KEY, CANARY.OPERATOR_KEY, CANARY.JWT_SECRET, atob(CANARY.VAULT_MASTER_KEY), CANARY.VAULT_MASTER_KEY];
    for (const secret of planted) {
      for (const prefix of ["", "a", "ab"]) {
        const forms = [
          secret,
          b64(bytes(prefix + secret)),
          b64(bytes(prefix + secret))
            .replace(/\+/g, "-")
            .replace(/\//g, "_"),
          hex(bytes(secret)),
          encodeURIComponent(secret),
        ];
        for (const form of forms) {
          const before = t.hits.length;
          recordLogLine(`{"message":"x","v":"zz${form}zz"}`);
          expect(t.hits.length, `${secret} as ${form}`).toBeGreaterThan(before);
        }
      }
    }
    t.hits.splice(hitsBefore); // planted on purpose: not a leak
    expect(canaryNeedles().length).toBeGreaterThan(30);
  });

  it("never leave the Worker while they are used, on every route", async () => {
    const f = await buildFixture(); // stores the user canary and runs a benchmark and an eval with it
    const token = f.account.token;
    const socket = await openSocket(token);
    const sim = env.SIMULATOR_BASE_URL;
    // The user's canary on the catalogue simulator too, so health probes send it.
    expect((await call("/api/keys", { method: "PUT", token, body: { provider_key: "local_simulator", value: CANARY.USER_KEY } })).status).toBe(200);
    // A provider of the user's own that asks for the operator's shared key is refused (operator-keys.test.ts shows
    // the key is only ever sent to its catalogue provider's own URL, which tests cannot reach).
    const op = await call("/api/v2/providers", {
      token,
      body: { provider_key: "op_sim", display_name: "Operator key", api_base: `${sim}/v1`, api_key_env: CANARY.OPERATOR_KEY_ENV },
    });
    expect(op.status, op.text).toBe(400);
    for (const m of [`${FIXTURE_MODEL}-fault401`, `${FIXTURE_MODEL}-fault500`]) {
      expect((await call(`/api/v2/providers/${f.ids.provider}/models`, { token, body: { model_id: m } })).status).toBe(201);
    }
    const targets = [
      { provider_key: f.providerKey, model_id: FIXTURE_MODEL },
      { provider_key: f.providerKey, model_id: `${FIXTURE_MODEL}-fault401` },
      { provider_key: f.providerKey, model_id: `${FIXTURE_MODEL}-fault500` },
    ];
    const bench = await call("/api/benchmark", { token, body: { targets, runs: 1, warmup: false, max_tokens: 4 } });
    expect(bench.status, bench.text).toBe(200);
    await waitForJob(token, bench.json.job_id);
    const evalRun = await call("/api/tool-eval", { token, body: { suite_id: f.ids.suite, targets } });
    expect(evalRun.status, evalRun.text).toBe(200);
    await waitForJob(token, evalRun.json.job_id);
    expect((await call("/api/health/providers", { token })).status).toBe(200);
    expect((await call(`/api/export/eval/${evalRun.json.eval_id}`, { token })).status).toBe(200);
    expect((await call(`/api/history/${bench.json.run_id}`, { token })).status).toBe(200);

    // Every operation once, as this user, with a valid example body and the user's own ids.
    const doc = await loadDoc();
    const ctx = {
      doc,
      urls: [`${sim}/v1`],
      hints: {
        provider_key: [f.providerKey],
        model_id: [FIXTURE_MODEL],
        targets: [[{ provider_key: f.providerKey, model_id: FIXTURE_MODEL }]],
        suite_id: [f.ids.suite],
        job_id: [f.ids.job],
        case_ids: [[f.ids.case]],
        url: [`${sim}/mcp`],
        value: [CANARY.USER_KEY],
        api_key: [CANARY.USER_KEY],
      },
    };
    const ops = operationsOf(doc).sort((a, b) => destructiveLast(a) - destructiveLast(b));
    let answered = 0;
    for (const o of ops) {
      const values = Object.fromEntries(
        o.pathParams.map((p) => {
          const kind = paramKind(o.path, p.name);
          return [p.name, isOwned(kind) ? f.ids[kind] : "local_simulator"];
        }),
      );
      const r = await call(fillPath(o.path, values), {
        method: o.method.toUpperCase(),
        token: o.secured ? token : undefined,
        body: o.body ? exampleOf(o.body, ctx) : undefined,
      });
      expect(r.status, `${o.id}: ${r.text}`).toBeLessThan(500);
      answered += 1;
    }
    expect(answered).toBe(ops.length);
    expect(socket.messages.length).toBeGreaterThan(0);
    socket.ws.close();
  }, 60_000);
});
