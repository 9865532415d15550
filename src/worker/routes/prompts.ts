/** /api/config/prompts: the user's prompt templates, keyed by template key (the original's paths and shape). */
import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { promptTemplates } from "../db/schema.ts";
import { notFound } from "../lib/errors.ts";
import { errors, jsonBody, jsonResponse, newRouter, OkSchema, route } from "../lib/http.ts";
import { notifyUser } from "../lib/hub.ts";
import { isoNow, newId } from "../lib/ids.ts";

const PromptMap = z.record(z.string(), z.object({ label: z.string(), category: z.string(), prompt: z.string() }));
const PromptCreate = z
  .object({
    key: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { error: "Start with a letter or _, then letters, digits, _" }),
    label: z.string().trim().min(1).max(256).optional(),
    category: z.string().trim().min(1).max(64).default("general"),
    prompt: z.string().min(1).max(500_000),
  })
  .strict();
const KeyParam = z.object({
  key: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "key", in: "path" } }),
});

export const promptRoutes = newRouter();

promptRoutes.openapi(
  route({
    method: "get",
    path: "/",
    operationId: "listPromptTemplates",
    auth: "user",
    tags: ["config"],
    summary: "Prompt templates as a map keyed by template key (the original's shape)",
    responses: { 200: jsonResponse(PromptMap, "Templates"), 401: errors[401] },
  }),
  async (c) => {
    const rows = await c.var.db.select().from(promptTemplates).where(eq(promptTemplates.userId, c.var.user.id)).orderBy(promptTemplates.createdAt);
    return c.json(Object.fromEntries(rows.map((r) => [r.key, { label: r.label, category: r.category, prompt: r.prompt }])), 200);
  },
);

promptRoutes.openapi(
  route({
    method: "post",
    path: "/",
    operationId: "savePromptTemplate",
    auth: "user",
    tags: ["config"],
    summary: "Create or replace a prompt template",
    request: jsonBody(PromptCreate),
    responses: { 200: jsonResponse(z.object({ status: z.literal("ok"), key: z.string() }), "Saved"), 400: errors[400] },
  }),
  async (c) => {
    const b = c.req.valid("json");
    const now = isoNow();
    const values = { label: b.label ?? b.key, category: b.category, prompt: b.prompt, updatedAt: now };
    await c.var.db
      .insert(promptTemplates)
      .values({ id: newId(), userId: c.var.user.id, key: b.key, ...values })
      .onConflictDoUpdate({ target: [promptTemplates.userId, promptTemplates.key], set: values });
    notifyUser(c, { type: "config_changed", scope: "prompts" });
    return c.json({ status: "ok" as const, key: b.key }, 200);
  },
);

promptRoutes.openapi(
  route({
    method: "delete",
    path: "/{key}",
    operationId: "deletePromptTemplate",
    auth: "user",
    tags: ["config"],
    summary: "Delete a prompt template",
    request: { params: KeyParam },
    responses: { 200: jsonResponse(OkSchema, "Deleted"), 404: errors[404] },
  }),
  async (c) => {
    const removed = await c.var.db
      .delete(promptTemplates)
      .where(and(eq(promptTemplates.userId, c.var.user.id), eq(promptTemplates.key, c.req.valid("param").key)))
      .returning({ id: promptTemplates.id });
    if (!removed.length) throw notFound("Prompt template");
    notifyUser(c, { type: "config_changed", scope: "prompts" });
    return c.json({ status: "ok" as const }, 200);
  },
);
