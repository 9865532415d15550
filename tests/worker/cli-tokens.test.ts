/**
 * CLI tokens (issue 17): created from a browser session (shown once, recorded by its jti), listed without the token,
 * revoked by their owner only (another user's id is a 404), and refused with the 401 envelope once revoked or when
 * the jti was never recorded. A CLI token cannot manage CLI tokens.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signToken } from "../../src/worker/auth/tokens.ts";
import { call, expectEnvelope, signUp } from "./helpers.ts";

const jtiOf = (token: string) => JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))).jti as string;

describe("CLI tokens", () => {
  it("creates a named token shown once, lists it without the token, and records its use", async () => {
    const u = await signUp();
    const created = await call("/api/auth/cli-token", { method: "POST", token: u.token, body: { name: "GitHub Actions" } });
    expect(created.status, created.text).toBe(200);
    expect(created.json).toMatchObject({ name: "GitHub Actions", expires_in_days: 30, revoked_at: null, last_used_at: null });
    expect(created.json.id).toBe(jtiOf(created.json.token));
    const days = (Date.parse(created.json.expires_at) - Date.parse(created.json.created_at)) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);

    const me = await call("/api/auth/me", { token: created.json.token });
    expect(me.status).toBe(200);
    expect(me.json.user.id).toBe(u.user.id);

    const list = await call("/api/auth/cli-tokens", { token: u.token });
    expect(list.status).toBe(200);
    expect(list.json.tokens).toHaveLength(1);
    expect(list.json.tokens[0]).toMatchObject({ id: created.json.id, name: "GitHub Actions", revoked_at: null });
    expect(typeof list.json.tokens[0].last_used_at).toBe("string");
    expect(list.text).not.toContain(created.json.token);
    // Only the jti is stored, never the token.
    const stored = await env.DB.prepare("SELECT * FROM cli_tokens WHERE id = ?").bind(created.json.id).first();
    expect(JSON.stringify(stored)).not.toContain(created.json.token.split(".")[2]);
  });

  it("without a body (older clients) the token gets the default name", async () => {
    const u = await signUp();
    const created = await call("/api/auth/cli-token", { method: "POST", token: u.token });
    expect(created.status, created.text).toBe(200);
    expect(created.json.name).toBe("CLI token");
    expect((await call("/api/auth/me", { token: created.json.token })).status).toBe(200);
  });

  it("refuses a bad name with the 400 envelope", async () => {
    const u = await signUp();
    expectEnvelope(await call("/api/auth/cli-token", { method: "POST", token: u.token, body: { name: "" } }), 400);
    expectEnvelope(await call("/api/auth/cli-token", { method: "POST", token: u.token, body: { name: "x".repeat(101) } }), 400);
    expectEnvelope(await call("/api/auth/cli-token", { method: "POST", token: u.token, body: { name: "ok", scope: "admin" } }), 400);
  });

  it("a revoked token is refused with 401 and a clear message; revoking is owner-scoped (404 for others)", async () => {
    const owner = await signUp();
    const other = await signUp();
    const { json: created } = await call("/api/auth/cli-token", { method: "POST", token: owner.token, body: { name: "laptop" } });
    const { json: kept } = await call("/api/auth/cli-token", { method: "POST", token: owner.token, body: { name: "CI" } });

    expectEnvelope(await call(`/api/auth/cli-tokens/${created.id}`, { method: "DELETE", token: other.token }), 404, "not_found");
    expectEnvelope(await call("/api/auth/cli-tokens/ffffffffffffffffffffffffffffffff", { method: "DELETE", token: owner.token }), 404, "not_found");
    expect((await call("/api/auth/me", { token: created.token })).status).toBe(200); // the other user's attempt changed nothing

    const revoked = await call(`/api/auth/cli-tokens/${created.id}`, { method: "DELETE", token: owner.token });
    expect(revoked.status, revoked.text).toBe(200);
    expect(typeof revoked.json.revoked_at).toBe("string");

    const refused = await call("/api/auth/me", { token: created.token });
    expectEnvelope(refused, 401, "unauthorized");
    expect(refused.json.error).toMatch(/revoked/);
    expectEnvelope(await call("/api/history", { token: created.token }), 401, "unauthorized");
    // The other token of the same user still works; revoking again keeps the first revocation time.
    expect((await call("/api/auth/me", { token: kept.token })).status).toBe(200);
    const again = await call(`/api/auth/cli-tokens/${created.id}`, { method: "DELETE", token: owner.token });
    expect(again.json.revoked_at).toBe(revoked.json.revoked_at);

    const list = await call("/api/auth/cli-tokens", { token: owner.token });
    expect(list.json.tokens.map((t: { name: string; revoked_at: string | null }) => [t.name, t.revoked_at !== null])).toEqual([
      ["CI", false],
      ["laptop", true],
    ]);
    expect((await call("/api/auth/cli-tokens", { token: other.token })).json.tokens).toEqual([]);
    const audit = await env.DB.prepare("SELECT action FROM audit_log WHERE user_id = ? AND resource_id = ?").bind(owner.user.id, created.id).all();
    expect(audit.results.map((r) => r.action)).toEqual(expect.arrayContaining(["cli_token_issued", "cli_token_revoked"]));
  });

  it("refuses a validly signed CLI token whose jti was never recorded", async () => {
    const u = await signUp();
    const unrecorded = await signToken(env, u.user.id, "cli");
    const r = await call("/api/auth/me", { token: unrecorded });
    expectEnvelope(r, 401, "unauthorized");
    expect(r.json.error).toMatch(/Unknown CLI token/);
  });

  it("a CLI token cannot create, list or revoke CLI tokens (403)", async () => {
    const u = await signUp();
    const { json: cli } = await call("/api/auth/cli-token", { method: "POST", token: u.token });
    expectEnvelope(await call("/api/auth/cli-token", { method: "POST", token: cli.token }), 403, "forbidden");
    expectEnvelope(await call("/api/auth/cli-tokens", { token: cli.token }), 403, "forbidden");
    expectEnvelope(await call(`/api/auth/cli-tokens/${cli.id}`, { method: "DELETE", token: cli.token }), 403, "forbidden");
    // But it works for the API it is meant for, e.g. a WebSocket ticket.
    expect((await call("/api/auth/ws-ticket", { method: "POST", token: cli.token })).status).toBe(200);
  });
});
