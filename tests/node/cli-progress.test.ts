// llm-bench's progress lines: redrawn in place with an ETA on a terminal, plain lines otherwise (CI logs).
import { describe, expect, it } from "vitest";
import { createProgress } from "../../src/cli/progress.ts";

function sink(columns?: number) {
  const out = {
    text: "",
    columns,
    write(s: string) {
      out.text += s;
      return true;
    },
  };
  return out;
}

describe("llm-bench progress", () => {
  it("redraws one line per task with an ETA on a terminal, and ends it with a newline", () => {
    const out = sink(60);
    const task = createProgress(out as unknown as NodeJS.WriteStream, { live: true }).start("speed sim-a", 3);
    task.step("tier 0 run 1/3");
    task.step("tier 0 run 2/3");
    task.done();
    const frames = out.text.split("\r\x1b[2K").filter(Boolean);
    expect(frames[0]).toMatch(/^speed sim-a: 1\/3 · ETA \d+s · tier 0 run 1\/3$/);
    expect(frames[1]).toMatch(/^speed sim-a: 2\/3 · ETA \d+s · tier 0 run 2\/3$/);
    expect(frames[2]).toMatch(/^speed sim-a: done, 2\/3 in \d+s\n$/);
    expect(out.text.split("\n")).toHaveLength(2); // a single line on screen until done
  });

  it("clips a live line to the terminal's width", () => {
    const out = sink(30);
    createProgress(out as unknown as NodeJS.WriteStream, { live: true })
      .start("eval a-long-suite-name a-long-model-name", 10)
      .step("case 1/10 passed");
    expect(out.text.replace("\r\x1b[2K", "").length).toBeLessThanOrEqual(29);
    expect(out.text.endsWith("…")).toBe(true);
  });

  it("writes plain lines without control characters when not live, and nothing when quiet", () => {
    const out = sink();
    const task = createProgress(out as unknown as NodeJS.WriteStream, { live: false }).start("speed sim-a", 2);
    task.step("tier 0 run 1/2");
    task.step("tier 0 run 2/2");
    task.done();
    expect(out.text).not.toContain("\r");
    expect(out.text).not.toContain("\x1b");
    expect(out.text.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^speed sim-a: 1\/2 · ETA \d+s · tier 0 run 1\/2$/),
      "speed sim-a: 2/2 · tier 0 run 2/2",
      expect.stringMatching(/^speed sim-a: done, 2\/2 in \d+s$/),
    ]);
    const quiet = sink();
    const q = createProgress(quiet as unknown as NodeJS.WriteStream, { live: false, quiet: true }).start("x", 1);
    q.step("a");
    q.done();
    expect(quiet.text).toBe("");
  });
});
