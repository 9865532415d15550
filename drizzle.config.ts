import { defineConfig } from "drizzle-kit";

// drizzle-kit 0.31 writes flat `migrations/NNNN_name.sql` files, which both `wrangler d1 migrations apply`
// and the test setup (`readD1Migrations`) read. Apply them with wrangler, never `drizzle-kit migrate`.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/worker/db/schema.ts",
  out: "./migrations",
  tablesFilter: ["!d1_migrations", "!_cf_*"],
});
