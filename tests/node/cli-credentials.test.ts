// Where llm-bench login keeps the deployment's URL and token: 0600 in a 0700 directory under $XDG_CONFIG_HOME,
// refused when others can read it, overridden by LLM_BENCH_URL / LLM_BENCH_TOKEN, removed by logout.
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/command.ts";
import { credentialsFile, deleteCredentials, loadCredentials, saveCredentials } from "../../src/cli/credentials.ts";

const tmp = mkdtempSync(path.join(tmpdir(), "llm-bench-creds-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const env = (extra: Record<string, string> = {}) => ({ XDG_CONFIG_HOME: tmp, ...extra });

function code(f: () => unknown): number | null {
  try {
    f();
    return null;
  } catch (e) {
    return e instanceof CliError ? e.code : -1;
  }
}

describe("llm-bench credentials", () => {
  it("are stored 0600 in a 0700 directory and read back; the environment overrides them", () => {
    const file = saveCredentials({ url: "https://bench.example.com", token: "t0k" }, env());
    expect(file).toBe(path.join(tmp, "llm-bench", "credentials.json"));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(loadCredentials(env())).toEqual({ url: "https://bench.example.com", token: "t0k" });
    expect(loadCredentials(env({ LLM_BENCH_TOKEN: "other" }))).toEqual({ url: "https://bench.example.com", token: "other" });
  });

  it("tightens an existing file and directory on save", () => {
    chmodSync(path.join(tmp, "llm-bench"), 0o755);
    chmodSync(credentialsFile(env()), 0o644);
    saveCredentials({ url: "https://bench.example.com", token: "t0k" }, env());
    expect(statSync(credentialsFile(env())).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(tmp, "llm-bench")).mode & 0o777).toBe(0o700);
  });

  it("refuses a file other users can read, and a bad file, with exit 2", () => {
    chmodSync(credentialsFile(env()), 0o644);
    expect(code(() => loadCredentials(env()))).toBe(2);
    writeFileSync(credentialsFile(env()), "{not json", { mode: 0o600 });
    chmodSync(credentialsFile(env()), 0o600);
    expect(code(() => loadCredentials(env()))).toBe(2);
  });

  it("logout removes the file; without credentials a command says to log in (exit 2)", () => {
    expect(deleteCredentials(env())).toBe(true);
    expect(existsSync(credentialsFile(env()))).toBe(false);
    expect(deleteCredentials(env())).toBe(false);
    expect(code(() => loadCredentials(env()))).toBe(2);
    expect(loadCredentials(env({ LLM_BENCH_URL: "http://127.0.0.1:8787", LLM_BENCH_TOKEN: "x" }))).toEqual({
      url: "http://127.0.0.1:8787",
      token: "x",
    });
    expect(code(() => loadCredentials(env({ LLM_BENCH_URL: "ftp://x", LLM_BENCH_TOKEN: "x" })))).toBe(2);
  });
});
