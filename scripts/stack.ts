/**
 * Starts the whole local stack: the LLM simulator (in this process) and `wrangler dev` serving the Worker,
 * the Durable Object, D1, Queues and the built Qwik assets. Used by `npm run dev` and the browser tests.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type RunningSimulator, startSimulator } from "../src/simulator/server.ts";

export const ROOT = path.resolve(import.meta.dirname, "..");

export interface StackOptions {
  port: number;
  simulatorPort: number;
  /** Separate D1/DO state (e.g. a temp dir for tests); default: wrangler's `.wrangler/state`. */
  persistTo?: string;
  /** Extra `--var NAME:value` for wrangler dev (overrides .dev.vars). */
  vars?: Record<string, string>;
  quiet?: boolean;
  /** A simulator that is already running (it then outlives this stack: stop() leaves it open). */
  simulator?: RunningSimulator;
}

export interface RunningStack {
  url: string;
  simulator: RunningSimulator;
  stop(): Promise<void>;
  /** SIGKILL wrangler dev and workerd at once, as a crash would (the simulator keeps running). */
  kill(): Promise<void>;
}

export function run(cmd: string, args: string[], what: string): void {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: "inherit", env: quietEnv() });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status})`);
}

function quietEnv(): NodeJS.ProcessEnv {
  return { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_D1_WARNING: "true" };
}

/** Creates .dev.vars from the example on first run, with fresh random secrets. */
export function ensureDevVars(): void {
  const target = path.join(ROOT, ".dev.vars");
  if (existsSync(target)) return;
  copyFileSync(path.join(ROOT, ".dev.vars.example"), target);
  const text = readFileSync(target, "utf8")
    .replace(/^JWT_SECRET=.*$/m, `JWT_SECRET=${randomBytes(48).toString("base64url")}`)
    .replace(/^VAULT_MASTER_KEY=.*$/m, `VAULT_MASTER_KEY=${randomBytes(32).toString("base64")}`);
  writeFileSync(target, text, { mode: 0o600 });
  console.log("Created .dev.vars with fresh local secrets.");
}

export function buildWeb(): void {
  run("npm", ["run", "--silent", "build:web"], "web build");
}

/** The CLI's bundle (dist/cli/llm-bench.js), the package's `bin`: plain JavaScript for any Node ≥ 22.12. */
export function buildCli(): void {
  run("npm", ["run", "--silent", "build:cli"], "CLI bundle");
}

export function applyMigrations(persistTo?: string): void {
  const args = ["d1", "migrations", "apply", "DB", "--local", ...(persistTo ? ["--persist-to", persistTo] : [])];
  run("wrangler", args, "D1 migrations");
}

export async function waitForHttp(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export async function startStack(opts: StackOptions): Promise<RunningStack> {
  const ownSimulator = !opts.simulator;
  const simulator = opts.simulator ?? (await startSimulator({ port: opts.simulatorPort, host: "127.0.0.1", quiet: opts.quiet }));
  // A local stack calls its own simulator and local servers: private addresses are allowed (production refuses them).
  const vars = { SIMULATOR_BASE_URL: simulator.url, ALLOW_PRIVATE_URLS: "true", ...opts.vars };
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(opts.port), "--inspector-port", "0", "--show-interactive-dev-session=false"];
  if (opts.persistTo) args.push("--persist-to", opts.persistTo);
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  const child = spawn("wrangler", args, {
    cwd: ROOT,
    env: quietEnv(),
    stdio: opts.quiet ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"],
    detached: true, // its own process group, so stop() ends workerd too
  });
  let output = "";
  child.stdout?.on("data", (d) => (output = (output + d).slice(-20_000)));
  child.stderr?.on("data", (d) => (output = (output + d).slice(-20_000)));
  const url = `http://127.0.0.1:${opts.port}`;
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  };
  const stop = async () => {
    await signal("SIGTERM");
    if (ownSimulator) await simulator.close();
  };
  const kill = () => signal("SIGKILL");
  try {
    await waitForHttp(`${url}/healthz`, 90_000, child);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- wrangler output ---\n${output}`);
  }
  return { url, simulator, stop, kill };
}
