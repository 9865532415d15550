/**
 * /api/shares: the owner shares a run read-only, as a link (an unguessable token, shown once) or with named accounts
 * of this deployment, lists and revokes their shares; recipients list what was shared with them and open it signed
 * in. /api/shared/{token}: the public, sign-in-free view of a link share. What a view contains is the resource
 * type's allow-list (shares/registry.ts). Unknown, revoked, expired and foreign shares are the same 404.
 */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { findUserByEmail, normalizeEmail } from "../auth/users.ts";
import { audit } from "../lib/audit.ts";
import { badRequest, notFound } from "../lib/errors.ts";
import { type AppEnv, errors, IdParam, jsonBody, jsonResponse, newRouter, OkSchema, route } from "../lib/http.ts";
import { isoNow } from "../lib/ids.ts";
import { SHARE_RESOURCE_TYPES, SHARE_TYPES, type ShareResourceType, ShareResourceTypeSchema, shareType } from "../shares/registry.ts";
import { createShare, deleteShare, ownerShares, receivedShares, recordOpen, type ShareRow, shareByToken, shareForViewer } from "../shares/store.ts";

/** At most this many accounts per share (a team, not a mailing list). */
const MAX_RECIPIENTS = 50;

const ShareCreate = z
  .object({
    resource_type: ShareResourceTypeSchema,
    resource_id: z.string().min(1).max(64),
    expires_at: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: "When the share stops working (ISO 8601, in the future); none = until revoked" }),
    user_emails: z
      .array(z.email().max(254))
      .min(1)
      .max(MAX_RECIPIENTS)
      .optional()
      .openapi({ description: "Share with these accounts of this deployment instead of a link (they open it signed in)" }),
  })
  .strict()
  .openapi("ShareCreate");

const ShareSchema = z
  .object({
    id: z.string(),
    resource_type: ShareResourceTypeSchema,
    resource_id: z.string(),
    title: z.string().nullable().openapi({ description: "Null when the shared resource has been deleted (the share then shows nothing)" }),
    kind: z.enum(["link", "accounts"]),
    recipients: z.array(z.string()).openapi({ description: "Emails of the accounts a share names (empty for a link)" }),
    url: z.string().nullable().openapi({ description: "Where recipients open it; a link's address is only returned when it is created" }),
    created_at: z.string(),
    expires_at: z.string().nullable(),
    expired: z.boolean(),
    open_count: z.number().int(),
    last_opened_at: z.string().nullable(),
  })
  .openapi("Share");

const ShareCreated = ShareSchema.extend({
  token: z.string().nullable().openapi({ description: "The link's secret (null for account shares): shown once, stored only as a hash" }),
  url: z.string(),
}).openapi("ShareCreated");

const ReceivedShareSchema = z
  .object({
    id: z.string(),
    resource_type: ShareResourceTypeSchema,
    title: z.string().nullable(),
    shared_by: z.string().openapi({ description: "The sharing account's email (recipients were named by it)" }),
    url: z.string(),
    created_at: z.string(),
    expires_at: z.string().nullable(),
  })
  .openapi("ReceivedShare");

const SharedBase = z.object({
  title: z.string(),
  shared_at: z.string(),
  expires_at: z.string().nullable(),
});
const SharedViewSchema = z
  .union(
    SHARE_RESOURCE_TYPES.map((type) => SharedBase.extend({ resource_type: z.literal(type), view: SHARE_TYPES[type].view })) as unknown as [
      z.ZodType,
      z.ZodType,
      ...z.ZodType[],
    ],
  )
  .openapi("SharedView");

const TokenParam = z.object({
  token: z
    .string()
    .min(1)
    .max(256)
    .openapi({ param: { name: "token", in: "path" }, description: "The link's token" }),
});

/** Mounted at /api/shares. */
export const shareRoutes = newRouter();
/** Mounted at /api/shared: public. */
export const sharedRoutes = newRouter();

const originOf = (c: Context<AppEnv>) => new URL(c.req.url).origin;
/** The token rides in the fragment: browsers never send it to a server (no access log, no Referer). */
const linkUrl = (c: Context<AppEnv>, token: string) => `${originOf(c)}/shared/#${token}`;
const accountUrl = (c: Context<AppEnv>, id: string) => `${originOf(c)}/shared/?share=${id}`;

async function titlesOf(c: Context<AppEnv>, ownerId: string, rows: Array<Pick<ShareRow, "resourceType" | "resourceId">>) {
  const out = new Map<string, string>();
  for (const type of SHARE_RESOURCE_TYPES) {
    const ids = [...new Set(rows.filter((r) => r.resourceType === type).map((r) => r.resourceId))];
    for (const [id, title] of await SHARE_TYPES[type].titles(c.var.db, ownerId, ids)) out.set(`${type}:${id}`, title);
  }
  return (r: Pick<ShareRow, "resourceType" | "resourceId">) => out.get(`${r.resourceType}:${r.resourceId}`) ?? null;
}

function shareView(c: Context<AppEnv>, row: ShareRow, recipients: string[], title: string | null, nowIso: string): z.infer<typeof ShareSchema> {
  return {
    id: row.id,
    resource_type: row.resourceType as ShareResourceType,
    resource_id: row.resourceId,
    title,
    kind: row.tokenHash ? "link" : "accounts",
    recipients,
    url: row.tokenHash ? null : accountUrl(c, row.id),
    created_at: row.createdAt,
    expires_at: row.expiresAt,
    expired: row.expiresAt !== null && row.expiresAt <= nowIso,
    open_count: row.openCount,
    last_opened_at: row.lastOpenedAt,
  };
}

/** The accounts named by email, or a 400 naming each address that is not an account here (or is the caller's). */
async function recipientIds(c: Context<AppEnv>, emails: string[]): Promise<{ ids: string[]; emails: string[] }> {
  const unique = [...new Set(emails.map(normalizeEmail))];
  const problems: Array<{ path: string; message: string }> = [];
  const ids: string[] = [];
  for (const [i, email] of unique.entries()) {
    const user = await findUserByEmail(c.var.db, email);
    if (!user) problems.push({ path: `user_emails.${i}`, message: `No account with the email ${email} on this deployment` });
    else if (user.id === c.var.user.id) problems.push({ path: `user_emails.${i}`, message: "That is your own account" });
    else ids.push(user.id);
  }
  if (problems.length) throw badRequest("Some emails cannot receive this share", problems);
  return { ids, emails: unique };
}

/** The shared resource's public view as the page shows it; 404 when the resource is gone. */
async function openShare(c: Context<AppEnv>, row: ShareRow, via: "link" | "account") {
  const type = row.resourceType as ShareResourceType;
  const entry = SHARE_TYPES[type];
  if (!entry) throw notFound("Share");
  const [view, titles] = await Promise.all([entry.load(c.var.db, row.userId, row.resourceId), entry.titles(c.var.db, row.userId, [row.resourceId])]);
  if (!view) throw notFound("Share");
  const nowIso = isoNow();
  await recordOpen(c.var.db, row.id, nowIso);
  await audit(c, {
    action: "share_open",
    userId: via === "account" ? c.var.user.id : null,
    resourceType: type,
    resourceId: row.resourceId,
    detail: { share_id: row.id, via, owner_id: row.userId },
  });
  return { resource_type: type, title: titles.get(row.resourceId) ?? entry.label, shared_at: row.createdAt, expires_at: row.expiresAt, view };
}

shareRoutes.openapi(
  route({
    method: "post",
    path: "/",
    operationId: "createShare",
    auth: "user",
    tags: ["shares"],
    summary: "Share one of your runs read-only: as a link (its token is shown once) or with named accounts",
    request: jsonBody(ShareCreate),
    responses: { 201: jsonResponse(ShareCreated, "Created"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const owner = c.var.user;
    const entry = shareType(body.resource_type);
    const badId = entry.checkId?.(body.resource_id);
    if (badId) throw badRequest(badId, [{ path: "resource_id", message: badId }]);
    // Ownership first: another user's id is a 404 whatever else the body says.
    const title = (await entry.titles(c.var.db, owner.id, [body.resource_id])).get(body.resource_id);
    if (!title) throw notFound(entry.label);
    const nowIso = isoNow();
    let expiresAt: string | null = null;
    if (body.expires_at !== undefined) {
      expiresAt = new Date(body.expires_at).toISOString();
      if (expiresAt <= nowIso) throw badRequest("expires_at must be in the future", [{ path: "expires_at", message: "Must be in the future" }]);
    }
    const recipients = body.user_emails ? await recipientIds(c, body.user_emails) : { ids: [], emails: [] };
    const { row, token } = await createShare(c.var.db, owner.id, {
      type: body.resource_type,
      resourceId: body.resource_id,
      expiresAt,
      recipientIds: recipients.ids,
    });
    await audit(c, {
      action: "share_create",
      userId: owner.id,
      resourceType: body.resource_type,
      resourceId: body.resource_id,
      detail: { share_id: row.id, kind: token ? "link" : "accounts", recipients: recipients.ids.length, expires_at: expiresAt },
    });
    const view = shareView(c, row, recipients.emails.sort(), title, nowIso);
    return c.json({ ...view, token, url: token ? linkUrl(c, token) : accountUrl(c, row.id) }, 201);
  },
);

shareRoutes.openapi(
  route({
    method: "get",
    path: "/",
    operationId: "listShares",
    auth: "user",
    tags: ["shares"],
    summary: "Your shares, newest first (expired ones included until revoked)",
    responses: { 200: jsonResponse(z.object({ shares: z.array(ShareSchema) }), "Your shares") },
  }),
  async (c) => {
    const owner = c.var.user.id;
    const nowIso = isoNow();
    const list = await ownerShares(c.var.db, owner);
    const titleOf = await titlesOf(
      c,
      owner,
      list.map((s) => s.row),
    );
    return c.json({ shares: list.map((s) => shareView(c, s.row, s.recipients, titleOf(s.row), nowIso)) }, 200);
  },
);

shareRoutes.openapi(
  route({
    method: "get",
    path: "/received",
    operationId: "listReceivedShares",
    auth: "user",
    tags: ["shares"],
    summary: "Shared with me: live shares that name your account",
    responses: { 200: jsonResponse(z.object({ shares: z.array(ReceivedShareSchema) }), "Shares naming you") },
  }),
  async (c) => {
    const rows = await receivedShares(c.var.db, c.var.user.id, isoNow());
    const byOwner = new Map<string, ShareRow[]>();
    for (const { row } of rows) byOwner.set(row.userId, [...(byOwner.get(row.userId) ?? []), row]);
    const titles = new Map<string, string | null>();
    for (const [ownerId, list] of byOwner) {
      const titleOf = await titlesOf(c, ownerId, list);
      for (const row of list) titles.set(row.id, titleOf(row));
    }
    return c.json(
      {
        shares: rows.map(({ row, sharedBy }) => ({
          id: row.id,
          resource_type: row.resourceType as ShareResourceType,
          title: titles.get(row.id) ?? null,
          shared_by: sharedBy,
          url: accountUrl(c, row.id),
          created_at: row.createdAt,
          expires_at: row.expiresAt,
        })),
      },
      200,
    );
  },
);

shareRoutes.openapi(
  route({
    method: "get",
    path: "/{id}/view",
    operationId: "openShare",
    auth: "user",
    tags: ["shares"],
    summary: "Open a share signed in: your own, or one that names your account (the same view a link shows)",
    request: { params: IdParam },
    responses: { 200: jsonResponse(SharedViewSchema, "The shared resource, read-only"), 404: errors[404] },
  }),
  async (c) => {
    const row = await shareForViewer(c.var.db, c.var.user.id, c.req.valid("param").id, isoNow());
    if (!row) throw notFound("Share");
    return c.json((await openShare(c, row, "account")) as never, 200);
  },
);

shareRoutes.openapi(
  route({
    method: "delete",
    path: "/{id}",
    operationId: "revokeShare",
    auth: "user",
    tags: ["shares"],
    summary: "Revoke one of your shares: its link and recipients stop working at once",
    request: { params: IdParam },
    responses: { 200: jsonResponse(OkSchema, "Revoked"), 404: errors[404] },
  }),
  async (c) => {
    const row = await deleteShare(c.var.db, c.var.user.id, c.req.valid("param").id);
    if (!row) throw notFound("Share");
    await audit(c, {
      action: "share_revoke",
      userId: c.var.user.id,
      resourceType: row.resourceType,
      resourceId: row.resourceId,
      detail: { share_id: row.id },
    });
    return c.json({ status: "ok" as const }, 200);
  },
);

sharedRoutes.openapi(
  route({
    method: "get",
    path: "/{token}",
    operationId: "openSharedLink",
    auth: "public",
    tags: ["shares"],
    summary: "A link share's read-only view, without signing in (unknown, revoked and expired links are all 404)",
    request: { params: TokenParam },
    responses: { 200: jsonResponse(SharedViewSchema, "The shared resource, read-only"), 404: errors[404] },
  }),
  async (c) => {
    const row = await shareByToken(c.var.db, c.req.valid("param").token, isoNow());
    if (!row) throw notFound("Share");
    const body = await openShare(c, row, "link");
    c.header("X-Robots-Tag", "noindex, nofollow");
    c.header("Referrer-Policy", "no-referrer");
    return c.json(body as never, 200);
  },
);
