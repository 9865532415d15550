/**
 * The built app's route table: every route declares exactly one auth level where it is declared, the OpenAPI
 * document says the same (operationId, summary, tag, security), every non-public route refuses an unauthenticated
 * request with a 401 envelope, and no middleware runs twice for one request (counted on real requests going
 * through Hono's own dispatch, the route's handler replaced by a stub so nothing is written).
 */
import { createExecutionContext, env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { API_TAGS, buildApp } from "../../src/worker/app.ts";
import { AUTH_LEVELS, type AuthLevel, auth, authLevelOf } from "../../src/worker/auth/middleware.ts";
import { BASE, call, expectEnvelope, signUp } from "./helpers.ts";

type Handler = (c: unknown, next: () => Promise<void>) => unknown;
interface Endpoint {
  id: string; // "GET /api/jobs/:id"
  method: string;
  path: string;
  handlers: Handler[]; // in the order Hono runs them: auth, validators, the handler
  levels: AuthLevel[];
}

/** Public on purpose; making another route public means adding it here. */
const PUBLIC = [
  "POST /api/auth/register",
  "POST /api/auth/login",
  "POST /api/auth/refresh",
  "POST /api/auth/logout",
  "GET /api/openapi.json",
  "GET /healthz",
  "GET /ws", // authenticated by its ticket, in the handler
  // Sharing (issue 16): a link share opens without signing in; its token is the credential.
  "GET /api/shared/:token",
];
/** Routes that are not API operations, so not in the OpenAPI document. */
const UNDOCUMENTED = ["GET /api/openapi.json", "GET /healthz", "GET /ws"];
/** The app-wide middleware (request id and logs, CORS, body limits, deny-by-default): the only `app.use` paths. */
const APP_MIDDLEWARE_PATHS = ["/*", "/api/*"];

function endpointsOf(app: ReturnType<typeof buildApp>): Endpoint[] {
  const byId = new Map<string, Endpoint>();
  for (const r of app.routes) {
    if (r.method === "ALL") continue;
    const id = `${r.method} ${r.path}`;
    const e = byId.get(id) ?? { id, method: r.method, path: r.path, handlers: [], levels: [] };
    e.handlers.push(r.handler as Handler);
    const level = authLevelOf(r.handler);
    if (level) e.levels.push(level);
    byId.set(id, e);
  }
  return [...byId.values()];
}

const urlOf = (e: Endpoint) => e.path.replace(/:([A-Za-z_]+)/g, "zz9");
const docPathOf = (e: Endpoint) => e.path.replace(/:([A-Za-z_]+)/g, "{$1}");

const app = buildApp();
const endpoints = endpointsOf(app);

describe("the route table", () => {
  it("has app-wide middleware only at / and /api, and every route declares exactly one auth level", () => {
    const allPaths = [...new Set(app.routes.filter((r) => r.method === "ALL").map((r) => r.path))];
    expect(allPaths.sort()).toEqual(APP_MIDDLEWARE_PATHS);
    expect(endpoints.length).toBeGreaterThan(60);
    for (const e of endpoints) expect(e.levels, e.id).toHaveLength(1);
    expect(
      endpoints
        .filter((e) => e.levels[0] === "public")
        .map((e) => e.id)
        .sort(),
    ).toEqual([...PUBLIC].sort());
  });

  it("matches the OpenAPI document: one operation per route, with an operationId, a summary, a known tag and its security", async () => {
    const r = await call("/api/openapi.json");
    expect(r.status).toBe(200);
    const doc = r.json;
    expect(doc.servers?.length).toBeGreaterThan(0);
    const tags = new Set(API_TAGS.map((t) => t.name));
    const operationIds = new Set<string>();
    let documented = 0;
    for (const e of endpoints.filter((x) => !UNDOCUMENTED.includes(x.id))) {
      const op = doc.paths[docPathOf(e)]?.[e.method.toLowerCase()];
      expect(op, `${e.id} is not in the document`).toBeDefined();
      documented++;
      expect(op.operationId, e.id).toMatch(/^[a-z][A-Za-z0-9]+$/);
      expect(operationIds.has(op.operationId), `duplicate operationId ${op.operationId}`).toBe(false);
      operationIds.add(op.operationId);
      expect(op.summary, e.id).toMatch(/\S/);
      expect(op.tags?.length, e.id).toBe(1);
      expect(tags.has(op.tags[0]), `${e.id}: tag ${op.tags[0]}`).toBe(true);
      expect(op.security, e.id).toEqual(e.levels[0] === "public" ? [] : [{ Bearer: [] }]);
      if (e.levels[0] !== "public") expect(Object.keys(op.responses), e.id).toContain("401");
    }
    const inDoc = Object.values(doc.paths as Record<string, object>).reduce((n, item) => n + Object.keys(item).length, 0);
    expect(inDoc).toBe(documented);
  });

  it("refuses an unauthenticated request to every non-public route with a 401 envelope", async () => {
    const guarded = endpoints.filter((e) => e.levels[0] !== "public");
    expect(guarded.length).toBeGreaterThan(50);
    for (const e of guarded) {
      const r = await call(urlOf(e), { method: e.method, ...(e.method === "GET" ? {} : { rawBody: "{}" }) });
      expectEnvelope(r, 401, "unauthorized");
    }
  });

  it("denies by default: a route that declares no auth level needs a signed-in user", async () => {
    const withUndeclared = buildApp();
    withUndeclared.get("/api/__undeclared", (c) => c.json({ user: c.var.user.id }));
    const get = async (headers: Record<string, string>) => {
      const res = await withUndeclared.fetch(new Request(`${BASE}/api/__undeclared`, { headers }), env, createExecutionContext());
      return { status: res.status, json: (await res.json()) as any };
    };
    expectEnvelope(await get({}), 401, "unauthorized");
    const u = await signUp();
    expect(await get({ authorization: `Bearer ${u.token}` })).toEqual({ status: 200, json: { user: u.user.id } });
  });

  describe("runs each middleware once per request", () => {
    let token: string;
    /** Admin routes (issue 16) run their handler only for an admin: ADMIN_EMAIL in the test config. */
    let adminToken: string;
    beforeAll(async () => {
      token = (await signUp()).token;
      adminToken = (await signUp("boss@example.com")).token;
    });

    it("on every route, signed in, with its own auth middleware exactly once", async () => {
      const router = app.router as unknown as { match: (method: string, path: string) => unknown[] };
      router.match("GET", "/healthz"); // Hono's SmartRouter picks its router on first use and replaces its own match
      const match = router.match;
      const counts = new Map<Handler, number>();
      let target: Handler | undefined;
      const stub = (c: { body: (b: null, s: number) => unknown }) => c.body(null, 204);
      const counted =
        (fn: Handler): Handler =>
        (c, next) => {
          counts.set(fn, (counts.get(fn) ?? 0) + 1);
          return fn(c, next);
        };
      // The handlers Hono runs for a request are what its router matched: each is wrapped to count its runs.
      router.match = (method, path) => {
        const [handlers, ...rest] = match(method, path) as [Array<[[Handler, unknown], unknown]>, ...unknown[]];
        return [handlers.map(([[fn, route], params]) => [[fn === target ? stub : counted(fn), route], params]), ...rest];
      };
      try {
        for (const e of endpoints) {
          counts.clear();
          target = e.handlers.at(-1);
          const body = e.method === "GET" ? undefined : "{}";
          const res = await app.fetch(
            new Request(`${BASE}${urlOf(e)}`, {
              method: e.method,
              body,
              headers: { authorization: `Bearer ${e.levels.includes("admin") ? adminToken : token}`, "content-type": "application/json" },
            }),
            env,
            createExecutionContext(),
          );
          expect([204, 400], `${e.id}: ${res.status} ${await res.text()}`).toContain(res.status); // 400: `{}` is not a valid body
          const twice = [...counts]
            .filter(([, n]) => n > 1)
            .map(([fn, n]) => `${authLevelOf(fn) ? `auth("${authLevelOf(fn)}")` : fn.name || "(anonymous)"} ×${n}`);
          expect(twice, e.id).toEqual([]);
          const authRuns = AUTH_LEVELS.map((l) => counts.get(auth(l) as Handler) ?? 0);
          expect(
            authRuns.reduce((a, b) => a + b),
            `${e.id}: auth middleware runs`,
          ).toBe(1);
          expect(counts.get(auth(e.levels[0]!) as Handler), e.id).toBe(1);
        }
      } finally {
        router.match = match;
      }
    });
  });
});
