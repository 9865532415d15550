/**
 * Writes the OpenAPI document (what GET /api/openapi.json serves) to a file, without a server:
 * `npm run openapi [-- path]`, by default test-artifacts/openapi.json. `npm run lint:openapi` writes it and lints it
 * with Redocly's recommended rules (redocly.yaml).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { registerHooks } from "node:module";
import path from "node:path";

// The worker's modules reach the Durable Object class, whose base class exists only inside workerd.
registerHooks({
  resolve: (specifier, context, next) =>
    specifier === "cloudflare:workers" ? { url: "data:text/javascript,export class DurableObject {}", shortCircuit: true } : next(specifier, context),
});

// Imported by URL, not by a literal path, so the Node typecheck does not follow it into the worker's types.
const { buildApp, openApiDocument } = await import(new URL("../src/worker/app.ts", import.meta.url).href);

const out = path.resolve(process.argv[2] ?? "test-artifacts/openapi.json");
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(openApiDocument(buildApp(), "dev"), null, 2)}\n`);
console.log(`OpenAPI document written to ${path.relative(process.cwd(), out)}`);
