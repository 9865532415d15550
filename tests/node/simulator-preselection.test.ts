// What a first visit to Benchmark and Tool Eval preselects among the Local simulator's models.
import { describe, expect, it } from "vitest";
import { SIMULATOR_MODELS, SIMULATOR_SPEED_MODELS } from "../../src/shared/catalogue.ts";
import { preselectedSimulatorModels } from "../../src/web/src/lib/simulator-preselection.ts";

const provider = (provider_key: string, ids: readonly string[]) => ({ provider_key, models: ids.map((model_id) => ({ model_id })) });
const ids = (models: { model_id: string }[]) => models.map((m) => m.model_id);

describe("simulator models preselected on a first visit", () => {
  const providers = [
    provider(
      "local_simulator",
      SIMULATOR_MODELS.map((m) => m.model_id),
    ),
    provider("openai", ["gpt-4o", "sim-careful"]),
  ];

  it("Benchmark: the speed models; Tool Eval: the careful and the sloppy tool-caller", () => {
    expect(ids(preselectedSimulatorModels(providers, "benchmark"))).toEqual(SIMULATOR_SPEED_MODELS.map((m) => m.model_id));
    expect(ids(preselectedSimulatorModels(providers, "tool-eval"))).toEqual(["sim-careful", "sim-sloppy"]);
  });

  it("falls back to every simulator model when the wanted ones are not configured", () => {
    expect(ids(preselectedSimulatorModels([provider("local_simulator", ["sim-ttft5-tagmine"])], "tool-eval"))).toEqual(["sim-ttft5-tagmine"]);
    expect(ids(preselectedSimulatorModels([provider("local_simulator", ["sim-careful"])], "benchmark"))).toEqual(["sim-careful"]);
  });
});
