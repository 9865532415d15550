/**
 * The shared statistics module: every comparison that names a winner goes through here and says when the evidence
 * is insufficient. Pure functions, no I/O: the same code runs in the Worker, in Node (CLI) and in the browser.
 * `docs/statistics.md` says which test is used where and how verdicts are worded.
 */

export { type Calibration, calibration, cohenKappa, comparePreferences, type Preference, type PreferenceComparison, signTest } from "./agreement.ts";
export {
  type BootstrapOptions,
  DEFAULT_LEVEL,
  DEFAULT_RESAMPLES,
  type MeanCi,
  mean,
  meanCi,
  percentileInterval,
  sampleVariance,
} from "./bootstrap.ts";
export {
  type Candidate,
  type CandidateComparison,
  type CandidateOptions,
  type CandidateSignificance,
  type ComparisonRole,
  compareCandidates,
  type RankedCandidate,
} from "./candidates.ts";
export { binomialHalfTwoSidedP, normalCdf, normalQuantile, normalTwoSidedP } from "./distributions.ts";
export { type GateOutcome, type LatencyGate, latencyGate, type ScoreGate, scoreGate } from "./gate.ts";
export { holm } from "./multiple.ts";
export {
  type EvidencePlan,
  evidenceNeeded,
  mcnemarExact,
  minimumCases,
  type PairedCase,
  type PairedOptions,
  type PairedTest,
  type PairedTestName,
  pairCases,
  pairedPValue,
  pairedTest,
  pairedTestOnCases,
  type ScoredCase,
  signFlipTest,
} from "./paired.ts";
export { createRng, DEFAULT_SEED, hashSeed, type Rng } from "./random.ts";
export {
  type MannWhitney,
  mad,
  mannWhitney,
  median,
  type RegressionCheck,
  type RegressionOptions,
  type RegressionStatus,
  regressionCheck,
  robustZ,
} from "./robust.ts";
export { formatP, pairedVerdict, type Significance, signed, VERDICT_DEFAULTS, type Verdict, type VerdictOptions } from "./verdict.ts";
