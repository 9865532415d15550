/**
 * Injected drift (for schedules' regression tests and demos): per exact model id, extra TTFT, another
 * `system_fingerprint` and/or more billed output tokens, set with `PUT /__sim/drift` and cleared with
 * `DELETE /__sim/drift[?model=]`. A real provider slows down or ships a new build (often wordier, with hidden
 * reasoning that is billed but not shown) without changing the model's name; this lets a test do the same.
 */
export interface Drift {
  ttft_add_ms: number;
  system_fingerprint: string | null;
  /** Added to the output tokens each reply's usage reports (the reply's text is unchanged). */
  output_tokens_add: number;
}

export const DEFAULT_FINGERPRINT = "fp_simulator";

export class DriftStore {
  #byModel = new Map<string, Drift>();

  set(model: string, drift: Drift): void {
    this.#byModel.set(model, drift);
  }

  get(model: string): Drift | undefined {
    return this.#byModel.get(model);
  }

  clear(model?: string): void {
    if (model === undefined) this.#byModel.clear();
    else this.#byModel.delete(model);
  }
}

/** Validates the body of `PUT /__sim/drift`. */
export function parseDriftBody(body: unknown): { ok: true; model: string; drift: Drift } | { ok: false; message: string } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { ok: false, message: "Body must be a JSON object." };
  const b = body as Record<string, unknown>;
  if (typeof b.model !== "string" || !b.model || b.model.length > 256) return { ok: false, message: "model must be a model id." };
  const add = b.ttft_add_ms ?? 0;
  if (typeof add !== "number" || !Number.isFinite(add) || add < 0 || add > 60_000) {
    return { ok: false, message: "ttft_add_ms must be a number from 0 to 60000." };
  }
  const fp = b.system_fingerprint ?? null;
  if (fp !== null && (typeof fp !== "string" || !fp || fp.length > 64)) return { ok: false, message: "system_fingerprint must be a short string." };
  const tokens = b.output_tokens_add ?? 0;
  if (typeof tokens !== "number" || !Number.isInteger(tokens) || tokens < 0 || tokens > 100_000) {
    return { ok: false, message: "output_tokens_add must be a whole number from 0 to 100000." };
  }
  return { ok: true, model: b.model, drift: { ttft_add_ms: add, system_fingerprint: fp, output_tokens_add: tokens } };
}

/**
 * A webhook receiver for tests (`/__sim/webhooks/<id>`): POST records the delivery (headers and body) and answers
 * 500 while `fail_first` deliveries have not yet been refused, else 200; PUT sets `fail_first`; GET lists them.
 */
export interface WebhookDelivery {
  received_at: number;
  headers: Record<string, string>;
  body: string;
  answered: number;
}

export class WebhookInbox {
  #boxes = new Map<string, { failFirst: number; deliveries: WebhookDelivery[] }>();

  private box(id: string) {
    let box = this.#boxes.get(id);
    if (!box) {
      box = { failFirst: 0, deliveries: [] };
      this.#boxes.set(id, box);
    }
    return box;
  }

  configure(id: string, failFirst: number): void {
    this.box(id).failFirst = failFirst;
  }

  receive(id: string, headers: Record<string, string>, body: string): number {
    const box = this.box(id);
    const answered = box.deliveries.length < box.failFirst ? 500 : 200;
    box.deliveries.push({ received_at: Date.now(), headers, body, answered });
    return answered;
  }

  list(id: string): WebhookDelivery[] {
    return this.box(id).deliveries;
  }
}
