import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "../../src/worker/lib/vault.ts";
import { call, expectEnvelope, signUp } from "./helpers.ts";

const SECRET = "sk-proj-SuperSecretValue1234567890abcdWXYZ";

describe("key vault", () => {
  it("round-trips through AES-GCM with a fresh IV per record, bound to its owner", async () => {
    const owner = { userId: "u1", providerId: "p1" };
    const a = await sealSecret(env.VAULT_MASTER_KEY, SECRET, owner);
    const b = await sealSecret(env.VAULT_MASTER_KEY, SECRET, owner);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(await openSecret(env.VAULT_MASTER_KEY, a, owner)).toBe(SECRET);
    // Copied onto another user's row, the ciphertext does not decrypt (AAD mismatch).
    await expect(openSecret(env.VAULT_MASTER_KEY, a, { userId: "u2", providerId: "p1" })).rejects.toThrow();
    // A different master key cannot read it either.
    const otherKey = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
    await expect(openSecret(otherKey, a, owner)).rejects.toThrow();
  });

  it("stores a key without plaintext anywhere in D1 and only ever shows the last 4 characters", async () => {
    const u = await signUp();
    const put = await call("/api/keys", { method: "PUT", token: u.token, body: { provider_key: "openai", value: SECRET } });
    expect(put.status, put.text).toBe(200);
    expect(put.json).toEqual({ status: "ok", provider_key: "openai", last4: "WXYZ" });
    expect(put.text).not.toContain(SECRET.slice(0, 20));

    const list = await call("/api/keys", { token: u.token });
    const openai = list.json.keys.find((k: any) => k.provider_key === "openai");
    expect(openai).toMatchObject({ has_user_key: true, status: "user", last4: "WXYZ", key_env_name: "OPENAI_API_KEY" });
    expect(list.text).not.toContain(SECRET);
    expect(list.text).not.toContain("SuperSecret");

    // Scan every text column of every table for the plaintext or a large piece of it.
    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    ).all<{ name: string }>();
    for (const { name } of tables.results) {
      const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
      const dump = JSON.stringify(rows.results);
      expect(dump.includes("SuperSecretValue"), `plaintext found in ${name}`).toBe(false);
    }
    const stored = await env.DB.prepare("SELECT ciphertext, iv FROM user_api_keys WHERE user_id = ?").bind(u.user.id).first<any>();
    expect(stored.ciphertext.length).toBeGreaterThan(SECRET.length);
    expect(atob(stored.iv).length).toBe(12);
  });

  it("reports status per provider: local providers need no key, others are NOT SET until a key is stored", async () => {
    const u = await signUp();
    const list = await call("/api/keys", { token: u.token });
    const byKey = Object.fromEntries(list.json.keys.map((k: any) => [k.provider_key, k]));
    expect(byKey.local_simulator.status).toBe("not_required");
    expect(byKey.ollama.status).toBe("not_required");
    expect(byKey.anthropic.status).toBe("not_set");
    expect(byKey.anthropic.last4).toBeNull();
  });

  it("replaces and deletes keys; unknown providers and missing keys are 404; empty values are 400", async () => {
    const u = await signUp();
    await call("/api/keys", { method: "PUT", token: u.token, body: { provider_key: "groq", value: "gsk_first_value_aaaa1111" } });
    const replaced = await call("/api/keys", { method: "PUT", token: u.token, body: { provider_key: "groq", api_key: "gsk_second_value_bbbb2222" } });
    expect(replaced.json.last4).toBe("2222");
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM user_api_keys WHERE user_id = ?").bind(u.user.id).first<any>();
    expect(count.n).toBe(1);
    expect((await call("/api/keys", { method: "DELETE", token: u.token, body: { provider_key: "groq" } })).status).toBe(200);
    expectEnvelope(await call("/api/keys", { method: "DELETE", token: u.token, body: { provider_key: "groq" } }), 404, "not_found");
    expectEnvelope(await call("/api/keys", { method: "PUT", token: u.token, body: { provider_key: "nope", value: "x".repeat(20) } }), 404);
    expectEnvelope(
      await call("/api/keys", { method: "PUT", token: u.token, body: { provider_key: "groq", value: "   " } }),
      400,
      "validation_failed",
    );
  });

  it("keeps audit rows and logs free of the key", async () => {
    const u = await signUp();
    const logs: string[] = [];
    const original = { log: console.log, warn: console.warn, error: console.error };
    console.log = (...a: unknown[]) => logs.push(a.join(" "));
    console.warn = (...a: unknown[]) => logs.push(a.join(" "));
    console.error = (...a: unknown[]) => logs.push(a.join(" "));
    try {
      await call("/api/keys", { method: "PUT", token: u.token, body: { provider_key: "mistral", value: SECRET } });
      await call("/api/keys", { method: "PUT", token: u.token, body: { provider_key: "unknown_provider", value: SECRET } });
    } finally {
      Object.assign(console, original);
    }
    expect(logs.join("\n")).not.toContain("SuperSecret");
    const audit = await env.DB.prepare("SELECT detail FROM audit_log WHERE user_id = ?").bind(u.user.id).all();
    expect(JSON.stringify(audit.results)).not.toContain("SuperSecret");
  });
});
