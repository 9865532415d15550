/**
 * The simulated tool-callers' error profiles: how often each one makes a mistake, which mistakes, and
 * (for `tunable`) how that depends on the request's sampling parameters, tool_choice and system prompt.
 * The numbers here are the documented ones (src/simulator/README.md); tests hold the models to them.
 */

import type { ToolChoice } from "../tools.ts";
import type { Sampling } from "./conversation.ts";

export const CALLER_NAMES = ["careful", "sloppy", "eager", "tunable"] as const;
export type CallerName = (typeof CALLER_NAMES)[number];

/** Mistakes on a request that should get a call. */
export const MISTAKES = ["wrong_enum", "missing_optional", "wrong_tool", "missing_call"] as const;
export type Mistake = (typeof MISTAKES)[number];

export interface RequestTraits {
  sampling: Sampling;
  choice: ToolChoice;
  system: string;
}

export interface CallerProfile {
  /** Chance that a request which should get a call gets one mistake. */
  errorRate: number;
  /** How that mistake is picked (weights sum to 1). */
  mix: Record<Mistake, number>;
  /** Chance of calling a tool anyway when none fits (tool_choice auto). */
  spuriousRate: number;
}

const FIXED: Record<Exclude<CallerName, "tunable">, CallerProfile> = {
  careful: { errorRate: 0.05, mix: { wrong_enum: 0.3, missing_optional: 0.3, wrong_tool: 0.2, missing_call: 0.2 }, spuriousRate: 0.03 },
  sloppy: { errorRate: 0.6, mix: { wrong_enum: 0.35, missing_optional: 0.35, wrong_tool: 0.2, missing_call: 0.1 }, spuriousRate: 0.3 },
  eager: { errorRate: 0.05, mix: { wrong_enum: 0.3, missing_optional: 0.3, wrong_tool: 0.2, missing_call: 0.2 }, spuriousRate: 1 },
};

/** tunable: the error rate at its optimum, and how far each setting moves it. */
export const TUNABLE = {
  base: 0.1,
  bestTemperature: 0.2,
  temperatureSlope: 0.4,
  bestTopP: 0.9,
  topPSlope: 0.3,
  requiredPenalty: 0.08,
  /** Unset temperature / top_p mean the providers' default of 1. */
  defaultTemperature: 1,
  defaultTopP: 1,
  floor: 0.02,
  ceiling: 0.95,
  mix: { wrong_enum: 0.25, missing_optional: 0.25, wrong_tool: 0.25, missing_call: 0.25 } as Record<Mistake, number>,
} as const;

/** System-prompt phrases the tunable model reacts to (matched case-insensitively as whole words). */
export const TUNABLE_KEYWORDS = [
  { id: "precision", phrases: ["precise", "precisely", "accurate", "accurately"], error: -0.04, spurious: 0 },
  {
    id: "restraint",
    phrases: ["only call a tool when", "only use a tool when", "only call tools when", "only use tools when"],
    error: -0.04,
    spurious: -0.1,
  },
  { id: "creativity", phrases: ["creative", "creatively"], error: 0.1, spurious: 0 },
  { id: "always", phrases: ["always call a tool", "always use a tool", "always call tools", "always use tools"], error: 0, spurious: 0.5 },
] as const;

export function isCallerName(value: string): value is CallerName {
  return (CALLER_NAMES as readonly string[]).includes(value);
}

export function callerProfile(name: CallerName, traits: RequestTraits): CallerProfile {
  if (name !== "tunable") return FIXED[name];
  const error = tunableErrorRate(traits);
  let spurious = error;
  for (const k of matchedKeywords(traits.system)) spurious += k.spurious;
  return { errorRate: error, mix: TUNABLE.mix, spuriousRate: clamp(spurious) };
}

/**
 * err = 0.10 + 0.4·|T − 0.2| + 0.3·|top_p − 0.9| + 0.08·[tool_choice required] + Σ keyword effects,
 * clamped to [0.02, 0.95]. Optimum: T = 0.2, top_p = 0.9, tool_choice auto, "precise" and
 * "only call a tool when" in the system prompt (0.02).
 */
export function tunableErrorRate(traits: RequestTraits): number {
  const t = traits.sampling.temperature ?? TUNABLE.defaultTemperature;
  const p = traits.sampling.topP ?? TUNABLE.defaultTopP;
  let error = TUNABLE.base + TUNABLE.temperatureSlope * Math.abs(t - TUNABLE.bestTemperature) + TUNABLE.topPSlope * Math.abs(p - TUNABLE.bestTopP);
  if (traits.choice.mode === "required") error += TUNABLE.requiredPenalty;
  for (const k of matchedKeywords(traits.system)) error += k.error;
  return clamp(error);
}

export function matchedKeywords(system: string): (typeof TUNABLE_KEYWORDS)[number][] {
  const lower = system.toLowerCase();
  return TUNABLE_KEYWORDS.filter((k) => k.phrases.some((p) => new RegExp(`\\b${p}\\b`).test(lower)));
}

function clamp(x: number): number {
  return Math.min(TUNABLE.ceiling, Math.max(TUNABLE.floor, Math.round(x * 1e6) / 1e6));
}
