import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SESSION_HINT_COOKIE } from "../../src/shared/session-hint.ts";
import { signToken } from "../../src/worker/auth/tokens.ts";
import { call, expectEnvelope, refreshCookieOf, signUp, uniqueEmail } from "./helpers.ts";

describe("register", () => {
  it("makes the first account admin, later ones users, and seeds its configuration", async () => {
    const first = await signUp();
    const second = await signUp();
    expect(first.user.role).toBe("admin");
    expect(second.user.role).toBe("user");
    expect(first.user.onboarding_completed).toBe(false);
    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?").bind(first.user.id).first<{ password_hash: string }>();
    expect(row!.password_hash).toMatch(/^\$2[aby]\$10\$/); // bcrypt, cost 10
    const audit = await env.DB.prepare("SELECT action FROM audit_log WHERE user_id = ?").bind(first.user.id).all();
    expect(audit.results.map((r) => r.action)).toContain("user_register");
  });

  it("promotes ADMIN_EMAIL and normalises email case", async () => {
    await signUp();
    const boss = await signUp("Boss@Example.com");
    expect(boss.user.role).toBe("admin");
    expect(boss.user.email).toBe("boss@example.com");
  });

  it("refuses duplicates (any case) with 409 and bad input with 400", async () => {
    const u = await signUp();
    expectEnvelope(await call("/api/auth/register", { body: { email: u.email.toUpperCase(), password: "another password" } }), 409, "conflict");
    const short = await call("/api/auth/register", { body: { email: uniqueEmail(), password: "short" } });
    expectEnvelope(short, 400, "validation_failed");
    expect(short.json.details[0].path).toBe("password");
    expectEnvelope(await call("/api/auth/register", { body: { email: "not-an-email", password: "long enough" } }), 400, "validation_failed");
  });

  it("refuses common, repetitive and context-specific passwords with a message that says why (NIST SP 800-63B)", async () => {
    const refused: Array<[string, RegExp]> = [
      ["password", /commonly used/],
      ["12345678", /sequence or repetition/],
      ["        ", /only spaces/],
      ["PassWord1", /commonly used/], // case does not make a listed password safe
      ["iloveyou1", /commonly used/],
      ["qwertyuiop", /commonly used/],
      ["aaaaaaaaaaaa", /sequence or repetition/],
      ["abcdefghij", /sequence or repetition/],
      ["llmbenchmarkstudio", /this service/],
      ["ab cd", /at least 8 characters/],
    ];
    for (const [password, message] of refused) {
      const r = await call("/api/auth/register", { body: { email: uniqueEmail(), password } });
      expectEnvelope(r, 400, "validation_failed");
      expect(r.json.details[0].path, password).toBe("password");
      expect(r.json.details[0].message, password).toMatch(message);
    }
    const mine = await call("/api/auth/register", { body: { email: "margaret.hamilton@example.com", password: "margaret.hamilton" } });
    expect(mine.json.details?.[0]?.message).toMatch(/your email/);
    // No composition rules: long passphrases, spaces and any script are fine.
    for (const password of ["purple elephant dances", "пароль-надёжный-длинный", "🦊🦊🐢🐢🦊🐢🐢🦊"]) {
      const r = await call("/api/auth/register", { body: { email: uniqueEmail(), password } });
      expect(r.status, `${password}: ${r.text}`).toBe(201);
    }
  });

  it("sets a hardened refresh cookie scoped to /api/auth", async () => {
    const r = await call("/api/auth/register", { body: { email: uniqueEmail(), password: "long enough pw" } });
    const line = r.res.headers.getSetCookie().find((l) => l.startsWith("refresh_token="))!;
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/SameSite=Strict/i);
    expect(line).toMatch(/Path=\/api\/auth/);
    expect(line).toMatch(/Max-Age=604800/);
  });
});

describe("login", () => {
  it("signs in with the right password and refuses a wrong one", async () => {
    const u = await signUp();
    const ok = await call("/api/auth/login", { body: { email: u.email, password: u.password }, headers: { "cf-connecting-ip": "10.0.0.1" } });
    expect(ok.status).toBe(200);
    expect(ok.json.user.id).toBe(u.user.id);
    expect(refreshCookieOf(ok.res)).toBeDefined();
    const bad = await call("/api/auth/login", { body: { email: u.email, password: "wrong password" }, headers: { "cf-connecting-ip": "10.0.0.1" } });
    expectEnvelope(bad, 401, "unauthorized");
    expect(bad.json.error).toBe("Invalid email or password");
    const unknown = await call("/api/auth/login", {
      body: { email: "nobody@example.com", password: "whatever123" },
      headers: { "cf-connecting-ip": "10.0.0.1" },
    });
    expect(unknown.json.error).toBe("Invalid email or password");
  });

  it("locks an IP out for 900 s after 5 failures in 300 s, with Retry-After, and other IPs are unaffected", async () => {
    const u = await signUp();
    const ip = { "cf-connecting-ip": "203.0.113.7" };
    for (let i = 0; i < 5; i++) {
      const r = await call("/api/auth/login", { body: { email: u.email, password: "bad password" }, headers: ip });
      expect(r.status).toBe(401);
    }
    const locked = await call("/api/auth/login", { body: { email: u.email, password: u.password }, headers: ip });
    expectEnvelope(locked, 429, "rate_limited");
    const retryAfter = Number(locked.res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(890);
    expect(retryAfter).toBeLessThanOrEqual(900);
    const other = await call("/api/auth/login", { body: { email: u.email, password: u.password }, headers: { "cf-connecting-ip": "203.0.113.8" } });
    expect(other.status).toBe(200);
    // The state is in D1 (shared by every isolate), not in module memory.
    const row = await env.DB.prepare("SELECT failures, locked_until FROM login_attempts WHERE ip = ?").bind("203.0.113.7").first<any>();
    expect(row.failures).toBe(5);
    expect(Date.parse(row.locked_until)).toBeGreaterThan(Date.now() + 890_000);
  });

  it("checks at most 5 passwords when 30 wrong guesses arrive at once from one address", async () => {
    const u = await signUp();
    const ip = { "cf-connecting-ip": "203.0.113.30" };
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => call("/api/auth/login", { body: { email: u.email, password: `guess number ${i}` }, headers: ip })),
    );
    const statuses = results.map((r) => r.status);
    // A 401 is a password that was checked; every other attempt was refused before bcrypt ran.
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    for (const r of results.filter((r) => r.status === 429)) expectEnvelope(r, 429, "rate_limited");
    // And the right password is refused too until the lock expires.
    expectEnvelope(await call("/api/auth/login", { body: { email: u.email, password: u.password }, headers: ip }), 429, "rate_limited");
  });

  it("does not count successful logins against the window", async () => {
    const u = await signUp();
    const ip = { "cf-connecting-ip": "203.0.113.31" };
    for (let i = 0; i < 4; i++)
      expect((await call("/api/auth/login", { body: { email: u.email, password: "nope nope" }, headers: ip })).status).toBe(401);
    for (let i = 0; i < 3; i++)
      expect((await call("/api/auth/login", { body: { email: u.email, password: u.password }, headers: ip })).status).toBe(200);
    expect((await call("/api/auth/login", { body: { email: u.email, password: "nope nope" }, headers: ip })).status).toBe(401);
    expectEnvelope(await call("/api/auth/login", { body: { email: u.email, password: u.password }, headers: ip }), 429, "rate_limited");
  });

  it("starts a new window after 300 s instead of locking", async () => {
    const u = await signUp();
    const ip = "198.51.100.9";
    for (let i = 0; i < 4; i++)
      await call("/api/auth/login", { body: { email: u.email, password: "bad password" }, headers: { "cf-connecting-ip": ip } });
    await env.DB.prepare("UPDATE login_attempts SET window_started_at = ? WHERE ip = ?")
      .bind(new Date(Date.now() - 301_000).toISOString(), ip)
      .run();
    const fifth = await call("/api/auth/login", { body: { email: u.email, password: "bad password" }, headers: { "cf-connecting-ip": ip } });
    expect(fifth.status).toBe(401);
    const ok = await call("/api/auth/login", { body: { email: u.email, password: u.password }, headers: { "cf-connecting-ip": ip } });
    expect(ok.status).toBe(200);
  });

  it("writes audit rows for failures and successes", async () => {
    const u = await signUp();
    await call("/api/auth/login", { body: { email: u.email, password: "nope nope" }, headers: { "cf-connecting-ip": "192.0.2.44" } });
    await call("/api/auth/login", { body: { email: u.email, password: u.password }, headers: { "cf-connecting-ip": "192.0.2.44" } });
    const rows = await env.DB.prepare("SELECT action, ip, detail FROM audit_log WHERE user_id = ? ORDER BY id").bind(u.user.id).all<any>();
    const actions = rows.results.map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["user_register", "user_login_failed", "user_login"]));
    expect(rows.results.find((r) => r.action === "user_login_failed").ip).toBe("192.0.2.44");
    expect(JSON.parse(rows.results.find((r) => r.action === "user_login_failed").detail).reason).toBe("bad_password");
  });
});

describe("refresh tokens", () => {
  it("rotates on every use: the new cookie works, and replaying the old one revokes the whole family", async () => {
    const u = await signUp();
    const r1 = await call("/api/auth/refresh", { method: "POST", cookie: u.cookie });
    expect(r1.status).toBe(200);
    expect(r1.json.access_token).toBeTruthy();
    const c2 = refreshCookieOf(r1.res)!;
    expect(c2).toBeDefined();
    expect(c2).not.toBe(u.cookie);
    const r2 = await call("/api/auth/refresh", { method: "POST", cookie: c2 });
    expect(r2.status).toBe(200);
    const c3 = refreshCookieOf(r2.res)!;

    // Age the first rotation past the concurrency grace window, then replay the first token.
    await env.DB.prepare("UPDATE refresh_tokens SET rotated_at = ? WHERE rotated_at IS NOT NULL")
      .bind(new Date(Date.now() - 60_000).toISOString())
      .run();
    const replay = await call("/api/auth/refresh", { method: "POST", cookie: u.cookie });
    expectEnvelope(replay, 401, "unauthorized");
    expect(replay.json.error).toMatch(/reuse/i);
    // The newest token of that family is dead too.
    const after = await call("/api/auth/refresh", { method: "POST", cookie: c3 });
    expectEnvelope(after, 401);
    expect(after.json.error).toBe("Refresh token revoked");
    const audit = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'refresh_token_reuse' AND user_id = ?")
      .bind(u.user.id)
      .first<any>();
    expect(audit.n).toBe(1);
  });

  it("treats two tabs refreshing with the same cookie at once as concurrent, not as theft", async () => {
    const u = await signUp();
    const [a, b] = await Promise.all([
      call("/api/auth/refresh", { method: "POST", cookie: u.cookie }),
      call("/api/auth/refresh", { method: "POST", cookie: u.cookie }),
    ]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    const rotated = [a, b].map((r) => refreshCookieOf(r.res)).filter(Boolean);
    expect(rotated).toHaveLength(1); // exactly one successor token was minted
    const next = await call("/api/auth/refresh", { method: "POST", cookie: rotated[0] });
    expect(next.status).toBe(200);
  });

  it("stores only hashes, and refuses expired, unknown and missing tokens", async () => {
    const u = await signUp();
    const raw = u.cookie.split("=")[1]!;
    const rows = await env.DB.prepare("SELECT token_hash FROM refresh_tokens WHERE user_id = ?").bind(u.user.id).all<any>();
    expect(rows.results.length).toBe(1);
    expect(rows.results[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows.results[0].token_hash).not.toContain(raw);

    expectEnvelope(await call("/api/auth/refresh", { method: "POST" }), 401);
    expectEnvelope(await call("/api/auth/refresh", { method: "POST", cookie: "refresh_token=bogus" }), 401);
    await env.DB.prepare("UPDATE refresh_tokens SET expires_at = ? WHERE user_id = ?")
      .bind(new Date(Date.now() - 1000).toISOString(), u.user.id)
      .run();
    const expired = await call("/api/auth/refresh", { method: "POST", cookie: u.cookie });
    expectEnvelope(expired, 401, "token_expired");
  });

  it("sets a readable session hint beside the refresh cookie, and clears both on logout and on a refused refresh", async () => {
    const hintOf = (res: Response) => res.headers.getSetCookie().find((l) => l.startsWith(`${SESSION_HINT_COOKIE}=`));
    const u = await signUp();
    const login = await call("/api/auth/login", { body: { email: u.email, password: u.password } });
    const hint = hintOf(login.res)!;
    expect(hint).toMatch(/^studio_session=1;/);
    expect(hint).not.toMatch(/HttpOnly/i); // pages read it: it holds no secret
    expect(hint).toMatch(/Path=\/(;|$)/);
    expect(hint).toMatch(/SameSite=Strict/i);
    expect(hint).toMatch(/Max-Age=604800/); // as long as the refresh token
    const cookie = refreshCookieOf(login.res)!;
    const rotated = await call("/api/auth/refresh", { method: "POST", cookie });
    expect(hintOf(rotated.res)).toMatch(/^studio_session=1;/);

    const current = refreshCookieOf(rotated.res)!;
    const out = await call("/api/auth/logout", { method: "POST", cookie: current });
    expect(hintOf(out.res)).toMatch(/^studio_session=;.*Max-Age=0/);

    // Refused (no cookie, an unknown one, a revoked one): both cookies are cleared with the 401.
    for (const sent of [undefined, "refresh_token=bogus", current]) {
      const refused = await call("/api/auth/refresh", { method: "POST", cookie: sent });
      expectEnvelope(refused, 401);
      expect(hintOf(refused.res), String(sent)).toMatch(/^studio_session=;.*Max-Age=0/);
      expect(refused.res.headers.getSetCookie().join(";")).toMatch(/refresh_token=;/);
    }
  });

  it("logout revokes the family and clears the cookie", async () => {
    const u = await signUp();
    const out = await call("/api/auth/logout", { method: "POST", cookie: u.cookie });
    expect(out.status).toBe(200);
    expect(out.res.headers.getSetCookie().join(";")).toMatch(/refresh_token=;/);
    expectEnvelope(await call("/api/auth/refresh", { method: "POST", cookie: u.cookie }), 401);
  });
});

describe("access tokens", () => {
  it("protects /me, accepts access and CLI tokens, and refuses tickets, garbage and expired tokens", async () => {
    const u = await signUp();
    const me = await call("/api/auth/me", { token: u.token });
    expect(me.status).toBe(200);
    expect(me.json.user.email).toBe(u.email);
    expectEnvelope(await call("/api/auth/me"), 401, "unauthorized");
    expectEnvelope(await call("/api/auth/me", { token: "not.a.jwt" }), 401);

    const cli = await call("/api/auth/cli-token", { method: "POST", token: u.token });
    expect(cli.json.expires_in_days).toBe(30);
    expect((await call("/api/auth/me", { token: cli.json.token })).status).toBe(200);

    const ticket = await call("/api/auth/ws-ticket", { method: "POST", token: u.token });
    const asBearer = await call("/api/auth/me", { token: ticket.json.ticket });
    expectEnvelope(asBearer, 401);
    expect(asBearer.json.error).toBe("Invalid token type");

    const expired = await signToken(env, u.user.id, "access", Date.now() - 16 * 60_000);
    const r = await call("/api/auth/me", { token: expired });
    expectEnvelope(r, 401, "token_expired");
  });

  it("access tokens last 15 minutes by default", async () => {
    const u = await signUp();
    const login = await call("/api/auth/login", { body: { email: u.email, password: u.password }, headers: { "cf-connecting-ip": "10.9.9.9" } });
    expect(login.json.expires_in).toBe(900);
    const payload = JSON.parse(atob(login.json.access_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    expect(payload.exp - payload.iat).toBe(900);
    expect(payload.typ).toBe("access");
  });

  it("a deleted user's token stops working", async () => {
    const u = await signUp();
    await env.DB.prepare("DELETE FROM users WHERE id = ?").bind(u.user.id).run();
    const r = await call("/api/auth/me", { token: u.token });
    expectEnvelope(r, 401);
    expect(r.json.error).toBe("User not found");
  });
});
