/**
 * Control API (`/__sim/...`) for tests and tooling, plus model discovery (`GET /v1/models`).
 * Routes return false when the path is not theirs so the server can fall through to a 404.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { parseDriftBody } from "./drift.ts";
import type { SimState } from "./handler.ts";
import { readJson, sendJson } from "./http.ts";
import { isSimModel, parseModelId } from "./profile.ts";
import { parseScriptBody } from "./scripts.ts";
import { DEFAULT_CAPACITY, snapshot } from "./send-log.ts";

/** A handful of ready-made profiles so model pickers have something to show. */
export const EXAMPLE_MODELS = [
  "sim-ttft80-tps150-len200", // fast
  "sim-ttft300-tps60-len120", // typical
  "sim-ttft1500-tps25-len300", // slow
  "sim-ttft1500-tps25-len300-reason40", // reasoning
  "sim-ttft80-tps150-len200-chunk4", // multi-token chunks
  "sim-ttft150-tps120-len60-roleFirst", // tools / agent loops (any sim model calls tools when offered)
] as const;

/** Fixed so the list is stable across restarts (2025-01-01T00:00:00Z). */
const CREATED = 1735689600;

export async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, state: SimState): Promise<boolean> {
  const method = req.method ?? "GET";
  const path = url.pathname.replace(/\/+$/, "");
  const ok = () => sendJson(res, 200, { status: "ok" });
  const error = (status: number, message: string) => sendJson(res, status, { error: { message, type: "invalid_request_error" } });

  if (path === "/__sim/health" && method === "GET") {
    sendJson(res, 200, { status: "ok" });
    return true;
  }

  if (path === "/__sim/log") {
    if (method === "DELETE") {
      state.log.clear();
      ok();
      return true;
    }
    if (method !== "GET") return methodNotAllowed(res);
    const id = url.searchParams.get("request_id");
    if (id !== null) {
      const record = state.log.get(id);
      if (!record) error(404, `No send-log record for request_id '${id}'.`);
      else sendJson(res, 200, snapshot(record));
      return true;
    }
    const rawLimit = url.searchParams.get("limit");
    const limit = rawLimit === null ? 100 : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > DEFAULT_CAPACITY) {
      error(400, `limit must be an integer from 1 to ${DEFAULT_CAPACITY}.`);
      return true;
    }
    sendJson(res, 200, { records: state.log.list(limit).map(snapshot) });
    return true;
  }

  if (path === "/__sim/scripts") {
    if (method === "GET") {
      sendJson(res, 200, { scripts: state.scripts.list() });
    } else if (method === "POST") {
      const body = await readJson(req);
      if (!body.ok) {
        error(body.status, body.message);
        return true;
      }
      const parsed = parseScriptBody(body.value);
      if (!parsed.ok) {
        error(400, parsed.message);
        return true;
      }
      state.scripts.set(parsed.id, parsed.replies);
      sendJson(res, 200, { status: "ok", id: parsed.id, replies: parsed.replies.length });
    } else if (method === "DELETE") {
      state.scripts.clear();
      state.counters.reset();
      state.prefixCache.reset();
      state.capacity.reset();
      ok();
    } else {
      methodNotAllowed(res);
    }
    return true;
  }

  const one = /^\/__sim\/scripts\/([^/]+)$/.exec(path);
  if (one && method === "DELETE") {
    if (state.scripts.delete(decodeURIComponent(one[1] as string))) ok();
    else error(404, "No such script.");
    return true;
  }

  if (path === "/__sim/drift") {
    if (method === "PUT") {
      const body = await readJson(req);
      if (!body.ok) {
        error(body.status, body.message);
        return true;
      }
      const parsed = parseDriftBody(body.value);
      if (!parsed.ok) error(400, parsed.message);
      else {
        state.drift.set(parsed.model, parsed.drift);
        sendJson(res, 200, { status: "ok", model: parsed.model, ...parsed.drift });
      }
    } else if (method === "DELETE") {
      state.drift.clear(url.searchParams.get("model") ?? undefined);
      ok();
    } else {
      methodNotAllowed(res);
    }
    return true;
  }

  const inbox = /^\/__sim\/webhooks\/([A-Za-z0-9_-]{1,64})$/.exec(path);
  if (inbox) {
    const id = inbox[1] as string;
    if (method === "GET") sendJson(res, 200, { deliveries: state.webhooks.list(id) });
    else if (method === "PUT") {
      const body = await readJson(req);
      const failFirst = body.ok ? (body.value as { fail_first?: unknown }).fail_first : undefined;
      if (typeof failFirst !== "number" || !Number.isInteger(failFirst) || failFirst < 0 || failFirst > 100) {
        error(400, "fail_first must be an integer from 0 to 100.");
      } else {
        state.webhooks.configure(id, failFirst);
        ok();
      }
    } else if (method === "POST") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
      const status = state.webhooks.receive(id, headers, Buffer.concat(chunks).toString("utf8"));
      sendJson(res, status, { status: status === 200 ? "ok" : "refused" });
    } else methodNotAllowed(res);
    return true;
  }

  if (path === "/__sim/counters" && method === "DELETE") {
    const model = url.searchParams.get("model");
    state.counters.reset(model ?? undefined);
    state.prefixCache.reset(model ?? undefined);
    state.capacity.reset(model ?? undefined);
    ok();
    return true;
  }

  if (path.startsWith("/__sim/")) {
    error(404, `Unknown simulator control route ${method} ${path}.`);
    return true;
  }

  if (method === "GET" && (path === "/v1/models" || path === "/models")) {
    listModels(req, res);
    return true;
  }
  const model = /^(?:\/v1)?\/models\/([^/]+)$/.exec(path);
  if (method === "GET" && model) {
    const id = decodeURIComponent(model[1] as string);
    const parsed = isSimModel(id) ? parseModelId(id) : null;
    if (!parsed?.ok) {
      sendJson(res, 404, {
        error: { message: `The model '${id}' does not exist.`, type: "invalid_request_error", param: null, code: "model_not_found" },
      });
    } else {
      sendJson(res, 200, modelEntry(id, isAnthropic(req)));
    }
    return true;
  }
  return false;
}

function listModels(req: IncomingMessage, res: ServerResponse): void {
  const anthropic = isAnthropic(req);
  const data = EXAMPLE_MODELS.map((id) => modelEntry(id, anthropic));
  if (anthropic) {
    sendJson(res, 200, { data, has_more: false, first_id: EXAMPLE_MODELS[0], last_id: EXAMPLE_MODELS[EXAMPLE_MODELS.length - 1] });
  } else {
    sendJson(res, 200, { object: "list", data });
  }
}

/** The Anthropic SDK always sends anthropic-version; answer in its list shape then. */
function isAnthropic(req: IncomingMessage): boolean {
  return typeof req.headers["anthropic-version"] === "string";
}

function modelEntry(id: string, anthropic: boolean): unknown {
  return anthropic
    ? { type: "model", id, display_name: id, created_at: new Date(CREATED * 1000).toISOString() }
    : { id, object: "model", created: CREATED, owned_by: "llm-simulator" };
}

function methodNotAllowed(res: ServerResponse): true {
  sendJson(res, 405, { error: { message: "Method not allowed.", type: "invalid_request_error" } });
  return true;
}
