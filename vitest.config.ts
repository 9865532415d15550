import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TEST_SIMULATOR_PORT } from "./tests/node/ports.ts";
import { CANARY } from "./tests/worker/canaries.ts";

/** CI only: one retry per test; tests/flaky-reporter.ts lists every test that passed only on its retry. */
const CI_RETRY = process.env.CI ? 1 : 0;
/** Test files run by "worker-sliced" (and only there), under its slice budget in seconds. */
const SLICED_TESTS = "tests/worker/time-slicing.test.ts";
const SLICED_BUDGET_SECONDS = "0.25";
/** Test files run by "worker-guarded" (and only there): the Worker as deployed, refusing private addresses. */
const GUARDED_TESTS = "tests/worker/private-address-guard.test.ts";

// Projects: "worker" runs inside workerd against real local D1/DO/Queues bindings ("worker-sliced" too, with a
// tiny time-slice budget); "node" runs the Node-side pieces (the LLM simulator, the CLI) in plain Node; "stack"
// and "browser" run the whole local server.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  function workerProject(name: string, files: { include: string[]; exclude?: string[]; bindings?: Record<string, string> }) {
    return {
      plugins: [
        cloudflareTest({
          main: "./src/worker/index.ts",
          wrangler: { configPath: "./wrangler.toml" },
          miniflare: {
            bindings: {
              TEST_MIGRATIONS: migrations,
              // Canary secrets: tests/worker/canary-scan.ts fails a file whose traffic or logs contain one.
              JWT_SECRET: CANARY.JWT_SECRET,
              VAULT_MASTER_KEY: CANARY.VAULT_MASTER_KEY,
              [CANARY.OPERATOR_KEY_ENV]: CANARY.OPERATOR_KEY,
              SIMULATOR_BASE_URL: `http://127.0.0.1:${TEST_SIMULATOR_PORT}`,
              COOKIE_SECURE: "false",
              LOG_LEVEL: "debug", // every line is scanned; canary-scan.ts prints only errors
              ADMIN_EMAIL: "boss@example.com",
              // wrangler.toml's production budget; "worker-sliced" overrides it
              JOB_SLICE_SECONDS: "180",
              // Local like `npm run dev`: the simulator is on 127.0.0.1; "worker-guarded" turns it off
              ALLOW_PRIVATE_URLS: "true",
              // schedules' alert webhooks retry after 1 s, 2 s, … instead of 30 s, 60 s, …
              WEBHOOK_RETRY_BASE_SECONDS: "1",
              ...files.bindings,
            },
          },
        }),
      ],
      test: {
        name,
        include: files.include,
        exclude: files.exclude ?? [],
        testTimeout: 30_000,
        retry: CI_RETRY,
        setupFiles: ["./tests/worker/apply-migrations.ts", "./tests/worker/canary-scan.ts"],
        // Off: with it, a fresh worker gets every already-transformed module of its import graph in one
        // WebSocket message, which the Cloudflare pool inlines; once a file has loaded the o200k tokenizer
        // (MBs, dynamic import) that message passes workerd's 1 MiB limit and every later file dies.
        fsModuleCache: false,
      },
    };
  }
  return {
    test: {
      globalSetup: ["./tests/node/global-setup.ts"],
      projects: [
        workerProject("worker", { include: ["tests/worker/**/*.test.ts"], exclude: [SLICED_TESTS, GUARDED_TESTS] }),
        // The same Worker with a tiny time-slice budget, so every job's groups are split into many queue messages.
        workerProject("worker-sliced", { include: [SLICED_TESTS], bindings: { JOB_SLICE_SECONDS: SLICED_BUDGET_SECONDS } }),
        {
          test: { name: "node", include: ["tests/node/**/*.test.ts"], environment: "node", retry: CI_RETRY },
        },
        {
          // The whole local server as a process (wrangler dev + simulator), e.g. killed and restarted mid-job.
          test: {
            name: "stack",
            include: ["tests/stack/**/*.test.ts"],
            environment: "node",
            retry: CI_RETRY,
            testTimeout: 240_000,
            hookTimeout: 180_000,
            fileParallelism: false,
          },
        },
        {
          // Real Chromium against `wrangler dev` (see tests/browser/stack.ts); one file at a time.
          test: {
            name: "browser",
            include: ["tests/browser/**/*.test.ts"],
            environment: "node",
            retry: CI_RETRY,
            testTimeout: 120_000,
            hookTimeout: 180_000,
            fileParallelism: false,
          },
        },
        // Discovery and health: the Worker as production runs it, refusing private and loopback addresses.
        workerProject("worker-guarded", { include: [GUARDED_TESTS], bindings: { ALLOW_PRIVATE_URLS: "false" } }),
      ],
    },
  };
});
