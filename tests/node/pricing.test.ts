import { describe, expect, it } from "vitest";
import { SIMULATOR_MODELS } from "../../src/shared/catalogue.ts";
import { builtInPrice, priceFor } from "../../src/shared/pricing.ts";

describe("prices", () => {
  it("knows a price for every simulator model in the catalogue, so cost shows locally", () => {
    for (const m of SIMULATOR_MODELS) expect(builtInPrice(m.model_id).inputPerMtok, m.model_id).not.toBeNull();
  });
  it("has no price for an unknown model (null, never 0), and a custom price beats the table", () => {
    expect(builtInPrice("sim-ttft5-tagunlisted")).toEqual({ inputPerMtok: null, outputPerMtok: null });
    expect(builtInPrice("openrouter/gpt-4o-mini")).toEqual({ inputPerMtok: 0.15, outputPerMtok: 0.6 });
    expect(priceFor("gpt-4o-mini", { input: 1, output: 2 })).toEqual({ inputPerMtok: 1, outputPerMtok: 2 });
    expect(priceFor("gpt-4o-mini", { input: 1, output: null })).toEqual({ inputPerMtok: 0.15, outputPerMtok: 0.6 });
  });
});
