import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TEST_SIMULATOR_PORT } from "./tests/node/ports.ts";
import { CANARY } from "./tests/worker/canaries.ts";

// Two projects: "worker" runs inside workerd against real local D1/DO/Queues bindings;
// "node" runs the Node-side pieces (the LLM simulator, the CLI) in plain Node.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    test: {
      globalSetup: ["./tests/node/global-setup.ts"],
      projects: [
        {
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
                },
              },
            }),
          ],
          test: {
            name: "worker",
            include: ["tests/worker/**/*.test.ts"],
            testTimeout: 30_000,
            setupFiles: ["./tests/worker/apply-migrations.ts", "./tests/worker/canary-scan.ts"],
            // Off: with it, a fresh worker gets every already-transformed module of its import graph in one
            // WebSocket message, which the Cloudflare pool inlines; once a file has loaded the o200k tokenizer
            // (MBs, dynamic import) that message passes workerd's 1 MiB limit and every later file dies.
            fsModuleCache: false,
          },
        },
        {
          test: { name: "node", include: ["tests/node/**/*.test.ts"], environment: "node" },
        },
        {
          // The whole local server as a process (wrangler dev + simulator), e.g. killed and restarted mid-job.
          test: {
            name: "stack",
            include: ["tests/stack/**/*.test.ts"],
            environment: "node",
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
            testTimeout: 120_000,
            hookTimeout: 180_000,
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
