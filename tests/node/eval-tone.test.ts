import { describe, expect, it } from "vitest";
import { passBadge, passLevel, passText } from "../../src/web/src/lib/eval-tone.ts";

describe("eval colours follow pass rates, not partial credit", () => {
  it("never shows a model that passed no case as good, whatever its mean score", () => {
    expect(passLevel(0, 3)).toBe("poor");
    expect(passText(0, 3)).toBe("text-danger");
    expect(passBadge(0, 3)).toBe("coral");
  });
  it("uses the 90 % and 60 % pass-rate bands, and says nothing when nothing ran", () => {
    expect(passLevel(9, 10)).toBe("good");
    expect(passLevel(8, 10)).toBe("mixed");
    expect(passLevel(6, 10)).toBe("mixed");
    expect(passLevel(5, 10)).toBe("poor");
    expect(passLevel(0, 0)).toBe("none");
  });
});
