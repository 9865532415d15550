/**
 * Every scenario `npm run bench` runs, in this order. A scenario's position gives its port block
 * (bench/run.ts: 9100 + 20 × position, 20 ports each; 9100–9399 holds 15 blocks).
 */
import type { Scenario } from "../lib/scenario.ts";
import { scenario as analytics } from "./analytics.ts";
import { scenario as apiLoad } from "./api-load.ts";
import { cancel } from "./cancel.ts";
import { capacity } from "./capacity.ts";
import { evalThroughput } from "./eval-throughput.ts";
import { fanout } from "./fanout.ts";
import { fidelity } from "./fidelity.ts";
import { liveLatency } from "./live-latency.ts";
import { overhead } from "./overhead.ts";
import { scenario as scale } from "./scale.ts";
import { tuner } from "./tuner.ts";
import { scenario as weight } from "./weight.ts";

export const SCENARIOS: Scenario[] = [
  fidelity, // 1
  overhead, // 2
  fanout, // 3
  liveLatency, // 4
  apiLoad, // 5
  scale, // 6
  weight, // 7
  evalThroughput, // 8
  cancel, // engine figure kept from the old bench/engine-figures.ts
  tuner, // 9
  analytics, // analytics in D1 (issue 15)
  capacity, // 12: capacity probe (issue 18)
];
