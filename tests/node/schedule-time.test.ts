import { describe, expect, it } from "vitest";
import { cronProblem, isTimeZone, nextRunAfter, nextRuns } from "../../src/shared/schedule-time.ts";

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe("interval schedules", () => {
  const timing = { interval_hours: 6, anchor: "2026-03-01T10:00:00.000Z" };

  it("runs on the anchor's grid, strictly after the given moment", () => {
    expect(nextRunAfter(timing, new Date("2026-03-01T09:00:00Z"))?.toISOString()).toBe("2026-03-01T10:00:00.000Z");
    expect(nextRunAfter(timing, new Date("2026-03-01T10:00:00Z"))?.toISOString()).toBe("2026-03-01T16:00:00.000Z");
    expect(iso(nextRuns(timing, new Date("2026-03-01T10:00:00Z"), 3))).toEqual([
      "2026-03-01T16:00:00.000Z",
      "2026-03-01T22:00:00.000Z",
      "2026-03-02T04:00:00.000Z",
    ]);
  });

  it("a long sleep gives one next run (the next slot), never the missed ones", () => {
    // Woken 3 days and 1 hour later: 12 slots were missed; the next is the first slot after now.
    const next = nextRunAfter(timing, new Date("2026-03-04T11:00:00Z"));
    expect(next?.toISOString()).toBe("2026-03-04T16:00:00.000Z");
  });

  it("counts elapsed hours, so a DST change neither stretches nor shrinks it", () => {
    const daily = { interval_hours: 24, anchor: "2026-03-28T08:00:00.000Z" }; // Europe moves its clocks on 03-29
    const runs = nextRuns(daily, new Date("2026-03-28T08:00:00Z"), 3);
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.getTime() - runs[i - 1]!.getTime()).toBe(24 * 3_600_000);
  });
});

describe("cron schedules in a time zone", () => {
  it("keeps the wall-clock time across a DST change (New York, spring forward on 2026-03-08)", () => {
    const runs = nextRuns({ cron: "30 9 * * 1-5", timezone: "America/New_York" }, new Date("2026-03-05T00:00:00Z"), 4);
    expect(iso(runs)).toEqual([
      "2026-03-05T14:30:00.000Z", // EST, UTC−5
      "2026-03-06T14:30:00.000Z",
      "2026-03-09T13:30:00.000Z", // EDT, UTC−4; the weekend is skipped
      "2026-03-10T13:30:00.000Z",
    ]);
  });

  it("a wall-clock time that does not exist that day (Berlin, 02:30 on 2026-03-29) runs once that day", () => {
    const runs = nextRuns({ cron: "30 2 * * *", timezone: "Europe/Berlin" }, new Date("2026-03-27T00:00:00Z"), 4);
    const days = runs.map((d) => d.toLocaleDateString("en-CA", { timeZone: "Europe/Berlin" }));
    expect(days).toEqual(["2026-03-27", "2026-03-28", "2026-03-29", "2026-03-30"]);
    expect(runs[0]!.toISOString()).toBe("2026-03-27T01:30:00.000Z");
    expect(runs[3]!.toISOString()).toBe("2026-03-30T00:30:00.000Z");
  });

  it("a wall-clock time that exists twice (Berlin, 02:30 on 2026-10-25) runs once", () => {
    const runs = nextRuns({ cron: "30 2 * * *", timezone: "Europe/Berlin" }, new Date("2026-10-24T12:00:00Z"), 3);
    expect(iso(runs)).toEqual(["2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z", "2026-10-27T01:30:00.000Z"]);
  });

  it("the same expression means different instants in different zones", () => {
    const after = new Date("2026-06-01T00:00:00Z");
    expect(nextRunAfter({ cron: "0 8 * * *", timezone: "Asia/Tokyo" }, after)?.toISOString()).toBe("2026-06-01T23:00:00.000Z");
    expect(nextRunAfter({ cron: "0 8 * * *", timezone: "UTC" }, after)?.toISOString()).toBe("2026-06-01T08:00:00.000Z");
    expect(nextRunAfter({ cron: "0 8 * * *", timezone: "America/Los_Angeles" }, after)?.toISOString()).toBe("2026-06-01T15:00:00.000Z");
  });

  it("refuses bad expressions, unknown zones and expressions that fire too often", () => {
    expect(cronProblem("0 8 * * *", "Europe/Berlin")).toBeNull();
    expect(cronProblem("0 8 * *", "UTC")).toMatch(/5 fields/);
    expect(cronProblem("0 x * * *", "UTC")).toMatch(/Invalid cron/);
    expect(cronProblem("0 0 31 2 *", "UTC")).toMatch(/never runs/);
    expect(cronProblem("*/5 * * * *", "UTC")).toMatch(/more often/);
    expect(cronProblem("0 8 * * *", "Mars/Olympus")).toMatch(/time zone/);
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("")).toBe(false);
  });
});
