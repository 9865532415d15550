/**
 * The realistic tool-caller: reads the request, decides which tool to call with which arguments (or none),
 * then applies the model's error profile. Every random-looking choice is a hash of (the model's caller
 * option and tag, the user message, the offered tool names, the turn), so the same request always gets
 * the same answer, and a request's draw does not depend on sampling parameters or the system prompt:
 * changing those moves the error rate past a fixed draw, so a better setting never makes a case worse.
 */

import { createHash } from "node:crypto";
import { argumentsFromSchema, type ToolChoice, type ToolDef } from "../tools.ts";
import { readArguments } from "./arguments.ts";
import type { Conversation, Sampling } from "./conversation.ts";
import { type CallerName, callerProfile, MISTAKES, type Mistake } from "./profiles.ts";
import { readContext, SIMULATED_TODAY, type SimDate } from "./read-context.ts";
import { type CallerTool, planCalls, rankTools, type ToolMatch } from "./relevance.ts";

export interface CallerInput {
  tools: ToolDef[];
  choice: ToolChoice;
  conversation: Conversation;
  sampling: Sampling;
}

/** What happened, besides the calls (for tests and the send log's readers). */
export type Outcome =
  | "right"
  | Mistake
  /** No tool fitted but one was called anyway (eager; tool_choice auto). */
  | "spurious_call"
  /** No tool fitted and tool_choice required forced one. */
  | "forced_call";

export interface CallerDecision {
  /** Calls to make (empty: answer in text). Arguments are JSON text. */
  calls: Array<{ name: string; arguments: string }>;
  /** The call the model meant to make before any mistake (null: none fitted, or the plan is done). */
  intended: { name: string; arguments: Record<string, unknown> } | null;
  outcome: Outcome;
}

/**
 * How much of the task the caller reads. Reading runs on the simulator's one thread, beside the streams whose timing
 * it keeps; tool-eval prompts are short, and this bounds what a long one can cost (about a tenth of a second).
 */
export const MAX_READ_CHARS = 8000;

/** A number in [0, 1) from a key: the same key always gives the same number. */
export function draw(key: string): number {
  const digest = createHash("sha256").update(key).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * @param caller the caller option of the model id
 * @param seed the caller option plus the model's tag, so `sim-sloppy-tagB` makes other mistakes than `sim-sloppy`
 */
export function decideCalls(input: CallerInput, caller: CallerName, seed: string): CallerDecision {
  const { conversation, choice } = input;
  const tools: CallerTool[] = input.tools.map((t) => ({ name: t.name, description: t.description ?? "", schema: t.schema }));
  const none: CallerDecision = { calls: [], intended: null, outcome: "right" };
  if (tools.length === 0 || choice.mode === "none") return none;

  const today = todayFrom(conversation);
  const task = conversation.user.slice(0, MAX_READ_CHARS);
  const ctx = readContext(task, today ?? SIMULATED_TODAY);
  const ranked = rankTools(tools, ctx);
  const turn = conversation.calls.length;
  const key = `${seed}\u0000${conversation.user}\u0000${tools.map((t) => t.name).join(",")}\u0000${turn}`;
  const profile = callerProfile(caller, { sampling: input.sampling, choice, system: conversation.system });
  const argsFor = (tool: CallerTool) => readArguments(tool.schema, readContext(task, today ?? SIMULATED_TODAY)).arguments;
  const call = (tool: CallerTool, args: Record<string, unknown>) => ({ name: tool.name, arguments: JSON.stringify(args) });

  let intendedTool: CallerTool | null;
  if (choice.mode === "named") {
    intendedTool = tools.find((t) => t.name === choice.name) ?? { name: choice.name, description: "", schema: undefined };
  } else {
    const plan = planCalls(ranked, ctx, today !== null);
    intendedTool = nextInPlan(plan, conversation);
  }

  if (!intendedTool) {
    // Nothing (more) to call. After tool results the model answers; on a fresh request it may call anyway.
    const top = (ranked[0] as ToolMatch).tool;
    if (choice.mode === "required") return { calls: [call(top, argsFor(top))], intended: null, outcome: "forced_call" };
    if (turn === 0 && draw(`${key}\u0000spurious`) < profile.spuriousRate) {
      return { calls: [call(top, argsFor(top))], intended: null, outcome: "spurious_call" };
    }
    return none;
  }

  const args = argsFor(intendedTool);
  const intended = { name: intendedTool.name, arguments: args };
  const right: CallerDecision = { calls: [call(intendedTool, args)], intended, outcome: "right" };
  if (draw(`${key}\u0000error`) >= profile.errorRate) return right;

  const mistake = pickMistake(profile.mix, draw(`${key}\u0000kind`));
  const pick = draw(`${key}\u0000pick`);
  const other = ranked.find((m) => m.tool.name !== intendedTool.name)?.tool;
  switch (mistake) {
    case "wrong_enum": {
      const changed = withWrongEnum(intendedTool.schema, args, pick);
      return changed ? { calls: [call(intendedTool, changed)], intended, outcome: mistake } : right;
    }
    case "missing_optional": {
      const changed = withoutOptional(intendedTool.schema, args, pick);
      return changed ? { calls: [call(intendedTool, changed)], intended, outcome: mistake } : right;
    }
    case "wrong_tool":
      if (choice.mode === "named" || !other) return right;
      return { calls: [call(other, argsFor(other))], intended, outcome: mistake };
    case "missing_call":
      if (choice.mode === "named") return right;
      if (choice.mode === "auto") return { calls: [], intended, outcome: mistake };
      // tool_choice required: a model that would not have called must guess one.
      if (other) return { calls: [call(other, argsFor(other))], intended, outcome: "wrong_tool" };
      return { calls: [call(intendedTool, argumentsFromSchema(intendedTool.schema))], intended, outcome: mistake };
  }
}

/** The first planned tool not yet called (calls already made are matched against the plan in order). */
function nextInPlan(plan: CallerTool[], conversation: Conversation): CallerTool | null {
  let i = 0;
  for (const made of conversation.calls) {
    if (i < plan.length && (plan[i] as CallerTool).name === made.name) i++;
  }
  return plan[i] ?? null;
}

/** "today" as a tool told it (a YYYY-MM-DD in a tool result), or null when none did. */
function todayFrom(conversation: Conversation): SimDate | null {
  for (const c of conversation.calls) {
    const m = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(c.result ?? "");
    if (m) return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  }
  return null;
}

function pickMistake(mix: Record<Mistake, number>, u: number): Mistake {
  let acc = 0;
  for (const m of MISTAKES) {
    acc += mix[m];
    if (u < acc) return m;
  }
  return MISTAKES[MISTAKES.length - 1] as Mistake;
}

type Path = Array<string | number>;

interface Slot {
  path: Path;
  schema: Record<string, unknown>;
  required: boolean;
}

/** Every value in the arguments with the schema that describes it (nested objects and arrays included). */
function slots(schema: unknown, value: unknown, path: Path = [], required = true): Slot[] {
  if (!isObject(schema)) return [];
  const out: Slot[] = path.length > 0 ? [{ path, schema, required }] : [];
  if (isObject(value) && isObject(schema.properties)) {
    const req = Array.isArray(schema.required) ? schema.required : [];
    for (const [k, v] of Object.entries(value)) out.push(...slots(schema.properties[k], v, [...path, k], req.includes(k)));
  } else if (Array.isArray(value) && isObject(schema.items)) {
    value.forEach((v, i) => {
      out.push(...slots(schema.items, v, [...path, i], true));
    });
  }
  return out;
}

function clone(args: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(args)) as Record<string, unknown>;
}

function parentOf(root: Record<string, unknown>, path: Path): { parent: Record<string, unknown> | unknown[]; key: string | number } {
  let node: unknown = root;
  for (const k of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[k];
  return { parent: node as Record<string, unknown>, key: path[path.length - 1] as string | number };
}

/** One enum value swapped for another option of the same enum, or null when no value is an enum choice. */
export function withWrongEnum(schema: unknown, args: Record<string, unknown>, u: number): Record<string, unknown> | null {
  const choices = slots(schema, args).filter((s) => Array.isArray(s.schema.enum) && (s.schema.enum as unknown[]).length >= 2);
  if (choices.length === 0) return null;
  const slot = choices[Math.floor(u * choices.length)] as Slot;
  const out = clone(args);
  const { parent, key } = parentOf(out, slot.path);
  const current = (parent as Record<string | number, unknown>)[key];
  const options = (slot.schema.enum as unknown[]).filter((v) => v !== current);
  const fraction = u * choices.length - Math.floor(u * choices.length);
  (parent as Record<string | number, unknown>)[key] = options[Math.floor(fraction * options.length)];
  return out;
}

/** One optional property left out, or null when every given property is required. */
export function withoutOptional(schema: unknown, args: Record<string, unknown>, u: number): Record<string, unknown> | null {
  const optional = slots(schema, args).filter((s) => !s.required && typeof s.path[s.path.length - 1] === "string");
  if (optional.length === 0) return null;
  const slot = optional[Math.floor(u * optional.length)] as Slot;
  const out = clone(args);
  const { parent, key } = parentOf(out, slot.path);
  delete (parent as Record<string | number, unknown>)[key];
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
