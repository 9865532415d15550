/**
 * Array parameters: rooms, dates, people or numbers listed in the text, "X, Y and Z" noun phrases, and lists of
 * objects (routine actions, counted shopping items, or one object per list piece). Objects are read by the
 * caller's reader (passed in), which keeps this module free of an import circle with arguments.ts.
 */

import { actionPhrases, related } from "./phrases.ts";
import { isoDate } from "./quantities.ts";
import { found, free, inScope, isSchema, paramStems, type ReadContext, type Reading, type Schema, schemaType } from "./read-context.ts";
import { readEnumList } from "./read-enums.ts";
import { roomsIn } from "./read-names.ts";
import { durationUnit } from "./read-numbers.ts";
import { stringKind } from "./string-kinds.ts";
import { STOP } from "./vocabulary.ts";
import { listItems, type Span, type Word } from "./words.ts";

/** Reads one object of a list from its piece of the text (arguments.ts's object reader). */
export type ItemReader = (schema: Schema, scope: Span) => Reading | undefined;

export function readArray(name: string, schema: Schema, ctx: ReadContext, scope: Span, readItem: ItemReader): Reading | undefined {
  const items = isSchema(schema.items) ? schema.items : {};
  const itemType = schemaType(items);
  if (Array.isArray(items.enum)) return readEnumList(items.enum, ctx, scope);
  if (itemType === "object") return readObjectList(name, schema, items, ctx, scope, readItem);
  if (itemType === "string") {
    const kind = stringKind(name, { ...items, description: `${schema.description ?? ""} ${items.description ?? ""}` });
    if (kind === "room" || kind === "device") {
      const rooms = roomsIn(ctx, scope);
      return rooms.length > 0 ? found(rooms.map((r) => r.text)) : undefined;
    }
    if (kind === "date" || kind === "datetime") {
      const dates = ctx.quantities.dates.filter((d) => inScope(d, scope) && d.role === "except");
      const values = dates.map((d) => isoDate(d, ctx.today)).filter((d): d is string => d !== null);
      return values.length > 0 ? found(values) : undefined;
    }
    if (kind === "person") {
      const people = ctx.names.filter((n) => free(ctx, n, scope) && !n.acronym).map((n) => n.text);
      return people.length > 0 ? found(people) : undefined;
    }
  }
  if (itemType === "integer" || itemType === "number" || itemType === "float") {
    const numbers = ctx.quantities.numbers.filter((n) => free(ctx, n, scope));
    return numbers.length > 0 ? found(numbers.map((n) => n.value)) : undefined;
  }
  if (itemType === "string") {
    const values = coordinated(ctx, scope);
    if (values.length > 1) return found(values);
  }
  return undefined;
}

/** "tomatoes and lettuce", "human HbA1c, normal hemoglobin, and rat hemoglobin": short noun phrases joined by and/or. */
function coordinated(ctx: ReadContext, scope: Span): string[] {
  const ws = ctx.words.filter((w) => inScope(w, scope));
  const isBreak = (w: Word) => STOP.has(w.lower) || /ing$/.test(w.lower);
  for (let i = 0; i < ws.length; i++) {
    if (!/^(and|or)$/.test((ws[i] as Word).lower)) continue;
    // The item after the joiner…
    let j = i + 1;
    while (j < ws.length && STOP.has((ws[j] as Word).lower)) j++;
    const after: Word[] = [];
    for (; j < ws.length && after.length < 3; j++) {
      const w = ws[j] as Word;
      if (isBreak(w) || (after.length > 0 && /[,.;:!?()]/.test(ctx.text.slice((after[after.length - 1] as Word).end, w.start)))) break;
      after.push(w);
    }
    // …and the items before it, back over commas.
    const items: Word[][] = [];
    let current: Word[] = [];
    for (let k = i - 1; k >= 0; k--) {
      const w = ws[k] as Word;
      const gap = ctx.text.slice(w.end, ((current[0] ?? ws[i]) as Word).start);
      if (/,/.test(gap) && current.length > 0) {
        items.unshift(current);
        current = [];
      } else if (/[.;:!?()]/.test(gap)) break;
      if (isBreak(w) || current.length >= 3) break;
      current.unshift(w);
    }
    if (current.length > 0) items.unshift(current);
    if (after.length === 0 || items.length === 0) continue;
    items.push(after);
    return items.map((item) => ctx.text.slice((item[0] as Word).start, (item[item.length - 1] as Word).end));
  }
  return [];
}

/** Where a list's items are: from the first mention of what the list holds to the end of the scope. */
function listRegion(name: string, schema: Schema, ctx: ReadContext, scope: Span): Span | null {
  const stems = paramStems(name, schema);
  const first = ctx.words.find((w) => inScope(w, scope) && stems.some((s) => related(w.stem, s) >= 0.8));
  const colon = ctx.text.indexOf(":", scope.start);
  const start = first ? first.start : colon >= 0 && colon < scope.end ? colon + 1 : -1;
  if (start < 0) return null;
  return { start, end: scope.end, text: ctx.text.slice(start, scope.end) };
}

function readObjectList(name: string, schema: Schema, items: Schema, ctx: ReadContext, scope: Span, readItem: ItemReader): Reading | undefined {
  const props = isSchema(items.properties) ? items.properties : {};
  const kinds = Object.entries(props).map(([k, v]) => [k, isSchema(v) ? v : {}] as const);
  const commandKey = kinds.find(([k, v]) => schemaType(v) === "string" && stringKind(k, v) === "command")?.[0];
  const quantityKey = kinds.find(([k, v]) => (schemaType(v) === "integer" || schemaType(v) === "number") && /quantit|count|amount|qty/.test(k))?.[0];
  if (commandKey) return readActions(items, ctx, scope);
  if (quantityKey) return readCountedItems(items, quantityKey, ctx, scope);
  // Otherwise: one item per list piece, from the first mention of the list on, while the pieces read as items.
  const region = listRegion(name, schema, ctx, scope);
  if (!region) return undefined;
  const out: unknown[] = [];
  for (const piece of listItems(region.text)) {
    const itemScope = { start: region.start + piece.start, end: region.start + piece.end, text: piece.text };
    const item = readItem(items, itemScope);
    if (!item || !complete(items, item.value as Record<string, unknown>)) {
      if (out.length > 0) break;
      continue;
    }
    out.push(item.value);
  }
  return out.length > 0 ? found(out) : undefined;
}

/** Whether every required property of an item was read from the text. */
function complete(items: Schema, value: Record<string, unknown>): boolean {
  const required = Array.isArray(items.required) ? items.required : [];
  return required.every((k) => typeof k === "string" && k in value);
}

/** Routine-style actions: each "turn on the hallway lights" becomes {device, command} (+ a delay said next to it). */
function readActions(items: Schema, ctx: ReadContext, scope: Span): Reading | undefined {
  const props = isSchema(items.properties) ? items.properties : {};
  const entries = Object.entries(props).map(([k, v]) => [k, isSchema(v) ? v : {}] as const);
  const deviceKey = entries.find(([k, v]) => stringKind(k, v) === "device")?.[0];
  const commandKey = entries.find(([k, v]) => stringKind(k, v) === "command")?.[0];
  const delayKey = entries.find(([k, v]) => (schemaType(v) === "integer" || schemaType(v) === "number") && durationUnit(k, v) !== null)?.[0];
  const actions = actionPhrases(ctx.text, ctx.words, scope);
  if (actions.length === 0 || !deviceKey || !commandKey) return undefined;
  const pieces = listItems(ctx.text.slice(scope.start, scope.end)).map((p) => ({ start: scope.start + p.start, end: scope.start + p.end }));
  const out = actions.map((a) => {
    const item: Record<string, unknown> = { [deviceKey]: a.device.text.replace(/^(?:the|my)\s+/i, ""), [commandKey]: a.command };
    const piece = pieces.find((p) => a.start >= p.start && a.start < p.end);
    if (delayKey && piece) {
      const delay = ctx.quantities.durations.find(
        (d) =>
          d.start >= piece.start && d.end <= piece.end && /\b(after|wait|in|later|delay)\b/.test(ctx.lower.slice(Math.max(0, d.start - 8), d.start)),
      );
      const unit = durationUnit(delayKey, isSchema(props[delayKey]) ? (props[delayKey] as Schema) : {}) ?? 1;
      if (delay) item[delayKey] = Math.round(delay.seconds / unit);
    }
    return item;
  });
  return found(out);
}

/** Shopping-style items: "3 milk (dairy), 2 chicken breast (meat)" → [{name, quantity, category}, …]. */
function readCountedItems(items: Schema, quantityKey: string, ctx: ReadContext, scope: Span): Reading | undefined {
  const props = isSchema(items.properties) ? items.properties : {};
  const entries = Object.entries(props).map(([k, v]) => [k, isSchema(v) ? v : {}] as const);
  const nameKey = entries.find(
    ([k, v]) => k !== quantityKey && schemaType(v) === "string" && !Array.isArray(v.enum) && /name|item|product|title/.test(k),
  )?.[0];
  const enumEntries = entries.filter(([, v]) => Array.isArray(v.enum));
  if (!nameKey) return undefined;
  const text = ctx.text.slice(scope.start, scope.end);
  const out: Record<string, unknown>[] = [];
  const pattern =
    /(?:^|[\s,:(])(\d+|a dozen|an?(?=\s+(?:bags?|packs?|box|boxes|bottles?|cans?|heads?|cartons?|jars?|loaf)\b)|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(?:(?:bags?|packs?|boxes|box|bottles?|cans?|lbs?|pounds?|kg|heads?|cartons?|jars?|loaf|loaves)\s+(?:of\s+)?)?([\p{L}][\p{L}' -]*?)\s*(?:\(([^)]*)\)|from\s+(\w+))?(?=\s*(?:,|;|\band\b|\.|$|—|\bfrom\b|\(|\b(?:to|for|at|in|on|into)\b))/giu;
  for (const m of text.matchAll(pattern)) {
    const quantity = /^\d+$/.test(m[1] as string)
      ? Number(m[1])
      : (
          {
            a: 1,
            an: 1,
            one: 1,
            two: 2,
            three: 3,
            four: 4,
            five: 5,
            six: 6,
            seven: 7,
            eight: 8,
            nine: 9,
            ten: 10,
            twelve: 12,
            "a dozen": 12,
          } as Record<string, number>
        )[(m[1] as string).toLowerCase()];
    const itemName = (m[2] as string).trim().replace(/\s+(?:and|or)$/i, "");
    if (quantity === undefined || itemName === "" || /^(minutes?|hours?|seconds?|days?|lists?|items?)$/i.test(itemName)) continue;
    if (itemName.split(/\s+/).length > 4) continue;
    const item: Record<string, unknown> = { [nameKey]: itemName, [quantityKey]: quantity };
    const note = ((m[3] ?? m[4] ?? "") as string).toLowerCase();
    for (const [key, v] of enumEntries) {
      const match = (v.enum as unknown[]).find((e) => typeof e === "string" && note.includes(e.toLowerCase()));
      if (match !== undefined) item[key] = match;
    }
    out.push(item);
  }
  return out.length > 0 ? found(out) : undefined;
}
