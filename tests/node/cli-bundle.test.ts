// The package's bin as published: dist/cli/llm-bench.js, built by `npm run build:cli` (the `prepare` script, so
// `npm ci` builds it), run by plain `node` with TypeScript type stripping turned off — as Node runs a package's
// files under node_modules. --version, --help for every command, and init + run against the simulator.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "./cli-helpers.ts";
import { TEST_SIMULATOR_PORT } from "./ports.ts";

const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string; bin: Record<string, string> };
const BIN = path.join(ROOT, pkg.bin["llm-bench"]!);
const tmp = mkdtempSync(path.join(tmpdir(), "llm-bench-bundle-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The bundle, run without type stripping: any TypeScript left in it would fail to load. */
const bundled = (args: string[], cwd = tmp) => runCli(args, { cwd, entry: BIN, env: { NODE_OPTIONS: "--no-experimental-strip-types" } });

beforeAll(() => {
  const r = spawnSync("npm", ["run", "--silent", "build:cli"], { cwd: ROOT, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
}, 120_000);

describe("the bundled llm-bench bin", { timeout: 120_000 }, () => {
  it("is JavaScript with a node shebang, executable, at the package's bin", () => {
    expect(pkg.bin["llm-bench"]).toBe("dist/cli/llm-bench.js");
    const text = readFileSync(BIN, "utf8");
    expect(text.startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(statSync(BIN).mode & 0o111).not.toBe(0);
    expect(text).not.toMatch(/from "[^"]+\.ts"/); // every module of ours is inside
  });

  it("prints its version and the help of every command", async () => {
    const v = await bundled(["--version"]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toBe(`llm-bench ${pkg.version}\n`);
    const help = await bundled(["--help"]);
    expect(help.code).toBe(0);
    const commands = [...help.stdout.matchAll(/^ {2}([\w-]+) {2,}\S/gm)].map((m) => m[1]!);
    expect(commands).toEqual(
      expect.arrayContaining([
        "init",
        "validate",
        "run",
        "tune",
        "prompt-tune",
        "simulator",
        "score",
        "login",
        "logout",
        "history",
        "export",
        "capacity",
      ]),
    );
    for (const c of ["init", "validate", "run", "tune", "prompt-tune", "simulator", "score", "login", "logout", "history", "export", "capacity"]) {
      const r = await bundled([c, "--help"]);
      expect(r.code, `${c}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^llm-bench ${c} — `));
      expect(r.stdout).toContain("Usage:");
    }
  });

  it("runs init, then run and tune against the simulator", async () => {
    expect((await bundled(["init"])).code).toBe(0);
    const file = path.join(tmp, "llm-bench.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("127.0.0.1:18787", `127.0.0.1:${TEST_SIMULATOR_PORT}`));
    const r = await bundled(["run", "--ci"]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stderr).toMatch(/^speed sim-\S+: done, /m);
    expect(r.stdout.trimEnd().endsWith("PASSED")).toBe(true);
    // The example's tune section: six combos on the example suite, each compared with the eval's settings.
    const t = await bundled(["tune", "--ci"]);
    expect(t.code, `${t.stdout}\n${t.stderr}`).toBe(0);
    expect(t.stderr).toMatch(/^tune sim-careful: done, 24\/24 in \d+s$/m);
    expect(t.stdout).toMatch(/^significance: /m);
  });
});
