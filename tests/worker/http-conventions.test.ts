/**
 * Cross-cutting HTTP rules, checked against every route the OpenAPI document declares, so new routes are
 * covered automatically: bad input is a 400 envelope (never a 500). Authentication and other users' ids are
 * the authorization matrix's (authz-matrix.test.ts); random and hostile input is the fuzzer's (fuzz.test.ts).
 */
import { createExecutionContext, env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { buildApp, MAX_JSON_DEPTH } from "../../src/worker/app.ts";
import { auth } from "../../src/worker/auth/middleware.ts";
import type { makeDb } from "../../src/worker/db/client.ts";
import { providers, users } from "../../src/worker/db/schema.ts";
import { call, expectEnvelope, signUp } from "./helpers.ts";
import { fillPath, loadDoc, operationsOf, type ParamKind, paramKind } from "./openapi.ts";

const operations = async () => operationsOf(await loadDoc());

describe("OpenAPI document", () => {
  it("documents the API with schemas and bearer security", async () => {
    const r = await call("/api/openapi.json");
    expect(r.status).toBe(200);
    expect(r.json.openapi).toBe("3.1.0");
    expect(r.json.components.securitySchemes.Bearer.scheme).toBe("bearer");
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(25);
    for (const path of ["/api/auth/register", "/api/keys", "/api/v2/models/{id}", "/api/settings/phase10"]) {
      expect(Object.keys(r.json.paths)).toContain(path);
    }
  });
});

describe("every user-scoped route", () => {
  it("answers malformed JSON, wrong types, missing fields and oversized bodies with a 400 envelope, never a 500", async () => {
    const u = await signUp();
    const models = (await call("/api/v2/models", { token: u.token })).json.models;
    const byKind: Partial<Record<ParamKind, string>> = { provider: models[0].provider_id, model: models[0].id, catalogue: "openai", prompt: "qa" };
    const withBody = (await operations()).filter((o) => o.body);
    expect(withBody.length).toBeGreaterThan(10);
    const huge = JSON.stringify({ prompt: "x".repeat(2 * 1024 * 1024 + 10) });
    for (const op of withBody) {
      const path = fillPath(op.path, Object.fromEntries(op.pathParams.map((p) => [p.name, byKind[paramKind(op.path, p.name)] ?? "nope"])));
      const label = `${op.method} ${op.path}`;
      const method = op.method.toUpperCase();
      const malformed = await call(path, { method, token: u.token, rawBody: '{"email": "a@b.c", ' });
      expect(malformed.status, `${label} malformed`).toBe(400);
      expect(malformed.json.code, label).toBe("invalid_json");
      const wrongTypes = await call(path, {
        method,
        token: u.token,
        body: {
          email: 42,
          password: [],
          provider_key: 7,
          value: {},
          display_name: 3,
          model_id: false,
          key: 1,
          prompt: 2,
          judge: "x",
          max_tokens: "many",
          temperature: "hot",
        },
      });
      expect(wrongTypes.status, `${label} wrong types: ${wrongTypes.text}`).toBe(400);
      expect(wrongTypes.json.code).toBe("validation_failed");
      const notObject = await call(path, { method, token: u.token, rawBody: "[1,2,3]" });
      expect(notObject.status, `${label} array body`).toBe(400);
      const tooBig = await call(path, { method, token: u.token, rawBody: huge });
      expect(tooBig.status, `${label} oversized`).toBe(400);
      expect(tooBig.json.code).toBe("body_too_large");
    }
    // Missing fields, on routes where every field is required.
    for (const path of ["/api/auth/register", "/api/auth/login", "/api/v2/providers", "/api/config/prompts"]) {
      const r = await call(path, { method: "POST", token: u.token, body: {} });
      expectEnvelope(r, 400, "validation_failed");
      expect(r.json.details.length).toBeGreaterThan(0);
    }
  });
});

describe("the error handler's safety net", () => {
  // Routes that hit each kind of D1 constraint directly, as input a schema forgot to refuse would.
  async function answer(run: (db: ReturnType<typeof makeDb>) => Promise<unknown>) {
    const app = buildApp();
    app.get("/api/__constraint", auth("public"), async (c) => c.json(await run(c.var.db))); // undeclared would be a 401
    const errors = vi.spyOn(console, "error").mockImplementation(() => {}); // expected lines, kept off the output
    try {
      const res = await app.fetch(new Request("https://bench.test/api/__constraint"), env, createExecutionContext());
      const text = await res.text();
      return { status: res.status, json: JSON.parse(text), text, logs: errors.mock.calls.map((a) => a.join(" ")).join("\n") };
    } finally {
      errors.mockRestore();
    }
  }
  const row = (id: string, hash: string) => ({ id, email: `${id}@example.com`, passwordHash: hash, role: "user" as const });

  it("answers NOT NULL and CHECK failures with a 400 envelope, UNIQUE and FOREIGN KEY ones with 409, and no SQL", async () => {
    const cases = [
      {
        status: 400,
        run: () => env.DB.prepare("INSERT INTO user_settings (user_id, section, value, updated_at) VALUES ('u', 's', NULL, 't')").run(),
      },
      {
        status: 400,
        run: (db: ReturnType<typeof makeDb>) =>
          db.insert(providers).values({ id: "p1", userId: "nobody", providerKey: "k", displayName: "d", apiKind: "bogus" as "openai" }),
      },
      {
        status: 409,
        run: async (db: ReturnType<typeof makeDb>) => {
          await db.insert(users).values(row("dup", "h"));
          await db.insert(users).values(row("dup", "h"));
        },
      },
      {
        status: 409,
        run: (db: ReturnType<typeof makeDb>) => db.insert(providers).values({ id: "p2", userId: "no-such-user", providerKey: "k", displayName: "d" }),
      },
    ];
    for (const k of cases) {
      const r = await answer(k.run);
      expectEnvelope(r, k.status, k.status === 400 ? "validation_failed" : "conflict");
      expect(r.text).not.toMatch(/constraint|insert|sqlite|user_settings|providers|users/i);
      expect(r.logs).toMatch(/constraint violation/);
    }
  });

  it("classifies by D1's own error, never by the bound values drizzle quotes in its message", async () => {
    // The first insert's values say "NOT NULL constraint failed"; the real failure is the duplicate id (409).
    const decoy = "NOT NULL constraint failed: decoy.column";
    const r = await answer(async (db) => {
      await db.insert(users).values(row("twin", decoy));
      await db.insert(users).values(row("twin", decoy));
    });
    expectEnvelope(r, 409, "conflict");
    expect(r.logs).not.toContain(decoy);
  });

  it("logs an unknown database error with its SQL but without the bound values", async () => {
    const r = await answer((db) => db.run(sql`SELECT * FROM no_such_table WHERE secret = ${"bound-value-7f3e"}`));
    expectEnvelope(r, 500, "internal");
    expect(r.text).not.toMatch(/no_such_table|bound-value/);
    expect(r.logs).toContain("no_such_table");
    expect(r.logs).not.toContain("bound-value-7f3e");
  });

  it(`refuses JSON nested deeper than ${MAX_JSON_DEPTH} levels before parsing it`, async () => {
    const u = await signUp();
    const nested = (n: number) => `{"model_id":"m","params":{"p":${"[".repeat(n - 2)}1${"]".repeat(n - 2)}}}`;
    const ok = await call("/api/provider-params/validate", { token: u.token, rawBody: nested(MAX_JSON_DEPTH) });
    expect(ok.status, ok.text).toBe(200);
    expectEnvelope(await call("/api/provider-params/validate", { token: u.token, rawBody: nested(MAX_JSON_DEPTH + 1) }), 400, "validation_failed");
    // 10,000 levels used to overflow the stack when the params were echoed back (a 500).
    expectEnvelope(await call("/api/provider-params/validate", { token: u.token, rawBody: nested(10_000) }), 400, "validation_failed");
    // Brackets inside strings do not count.
    const inString = await call("/api/provider-params/validate", { token: u.token, body: { model_id: "m", params: { p: "[".repeat(1000) } } });
    expect(inString.status, inString.text).toBe(200);
  });
});

describe("infrastructure", () => {
  it("answers /healthz and marks every response with a request id and security headers", async () => {
    const r = await call("/healthz");
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: "ok", version: expect.any(String) });
    const api = await call("/api/auth/me");
    expect(api.res.headers.get("x-request-id")).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(api.json.request_id).toBe(api.res.headers.get("x-request-id"));
    expect(api.res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(api.res.headers.get("x-frame-options")).toBe("DENY");
    expect(api.res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(api.res.headers.get("access-control-allow-origin")).toBeNull(); // CORS is off by default
  });

  it("returns the envelope for unknown API routes", async () => {
    expectEnvelope(await call("/api/nope"), 404, "not_found");
  });
});
