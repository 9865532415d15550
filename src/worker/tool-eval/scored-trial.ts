/**
 * The tuners' trial runner in the Worker: the tune's cases loaded from D1 once, each model's key decrypted once,
 * and every trial run by `trial.ts`.
 */

import type { SuiteCase } from "../../shared/scoring/suite.ts";
import type { Db } from "../db/client.ts";
import { inList } from "../db/in-list.ts";
import { toolTestCases } from "../db/schema.ts";
import { LlmError } from "../llm/errors.ts";
import type { LlmTarget } from "../llm/stream.ts";
import { llmTargetFor, type ResolvedTarget } from "../llm/targets.ts";
import { type CaseView, caseView } from "./store.ts";
import { caseToModel } from "./suite-model.ts";
import { scoredTrial, type TrialOutcome, type TrialSettings, type TrialSuite } from "./trial.ts";

export interface TrialRunner {
  /** Cases that still exist (a case deleted since the tune started is left out). */
  hasCase(caseId: string): boolean;
  run(target: ResolvedTarget, caseId: string, settings: TrialSettings, signal: AbortSignal): Promise<TrialOutcome>;
}

export async function trialRunner(env: Env, db: Db, userId: string, suite: TrialSuite, caseIds: readonly string[]): Promise<TrialRunner> {
  const rows = caseIds.length
    ? await db
        .select()
        .from(toolTestCases)
        .where(inList(toolTestCases.id, [...caseIds]))
    : [];
  const cases = new Map<string, { view: CaseView; model: SuiteCase }>(rows.map((row) => [row.id, { view: caseView(row), model: caseToModel(row) }]));
  // One key decryption per model, not per call.
  const llms = new Map<string, Promise<LlmTarget>>();
  const llmFor = (t: ResolvedTarget) => {
    const key = `${t.providerKey}::${t.modelId}`;
    const llm = llms.get(key) ?? llmTargetFor(env, db, userId, t);
    llms.set(key, llm);
    return llm.catch((err: unknown) => {
      throw err instanceof LlmError ? err : new LlmError("auth", "The stored key could not be read");
    });
  };

  return {
    hasCase: (caseId) => cases.has(caseId),
    run(target, caseId, settings, signal) {
      const c = cases.get(caseId);
      if (!c) throw new RangeError(`case ${caseId} is not loaded`);
      return scoredTrial(() => llmFor(target), target, c, suite, settings, signal);
    },
  };
}
