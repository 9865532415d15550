import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TEST_SIMULATOR_PORT } from "./tests/node/ports.ts";

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
                  JWT_SECRET: "test-jwt-secret-which-is-long-enough-0123456789",
                  VAULT_MASTER_KEY: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                  SIMULATOR_BASE_URL: `http://127.0.0.1:${TEST_SIMULATOR_PORT}`,
                  COOKIE_SECURE: "false",
                  LOG_LEVEL: "error",
                  ADMIN_EMAIL: "boss@example.com",
                  // Operator keys: tests/worker/operator-keys.test.ts checks they only reach their catalogue URL.
                  OPENAI_API_KEY: "sk-operator-openai-canary-7c1f0e9a",
                  ANTHROPIC_API_KEY: "sk-ant-operator-canary-3b8d5a21",
                },
              },
            }),
          ],
          test: {
            name: "worker",
            include: ["tests/worker/**/*.test.ts"],
            testTimeout: 30_000,
            setupFiles: ["./tests/worker/apply-migrations.ts"],
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
