// How the CLI turns the deployment's error envelope into exit codes and messages: a refused token (revoked,
// expired, unknown) is exit 2 and says what to do; bad input is exit 2 with the server's details; a server error
// or an unreachable deployment is exit 3.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/command.ts";
import { apiError, Deployment } from "../../src/cli/deployment.ts";

const noFailure = (): CliError => {
  throw new Error("expected the request to fail");
};

describe("the CLI's view of API errors", () => {
  it("maps a refused token to exit 2 with what to do", () => {
    const expired = apiError(401, { error: "Token expired", code: "token_expired" }, "GET /api/history");
    expect(expired.code).toBe(2);
    expect(expired.message).toContain("the deployment refused the CLI token (the CLI token has expired)");
    expect(expired.message).toContain("Settings → CLI tokens");
    const revoked = apiError(401, { error: "This CLI token was revoked: create a new one", code: "unauthorized" }, "GET /api/history");
    expect(revoked.message).toContain("(This CLI token was revoked");
  });

  it("maps bad input to exit 2 with the server's details, and server errors to exit 3", () => {
    const bad = apiError(400, { error: "Invalid request", details: [{ path: "runs", message: "Too big" }] }, "POST /api/benchmark");
    expect(bad.code).toBe(2);
    expect(bad.message).toBe("POST /api/benchmark: Invalid request\n  runs: Too big");
    expect(apiError(503, { error: "The server is not configured" }, "GET /api/history").code).toBe(3);
    expect(apiError(502, undefined, "GET /api/history").message).toContain("answered 502: HTTP 502");
  });

  it("sends the token as a Bearer header only, and an unreachable deployment is exit 3", async () => {
    let seen: { auth?: string; url?: string } = {};
    const server = createServer((req, res) => {
      seen = { auth: req.headers.authorization, url: req.url };
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: "Unknown CLI token", code: "unauthorized" }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const err = await new Deployment({ url, token: "secret-token-123" }).json("/api/auth/me").then(noFailure, (e: CliError) => e);
      expect(err).toBeInstanceOf(CliError);
      expect(err.code).toBe(2);
      expect(err.message).not.toContain("secret-token-123");
      expect(seen).toEqual({ auth: "Bearer secret-token-123", url: "/api/auth/me" });
    } finally {
      await new Promise((r) => server.close(r));
    }
    const down = await new Deployment({ url, token: "secret-token-123" }).json("/api/auth/me").then(noFailure, (e: CliError) => e);
    expect(down.code).toBe(3);
    expect(down.message).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  });
});
