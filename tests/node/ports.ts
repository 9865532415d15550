/**
 * Loopback ports used by the test run (kept apart from `npm run dev`'s 8787/18787).
 * `TEST_PORT_OFFSET` shifts every one of them, so two checkouts can run their tests side by side.
 */
export const TEST_PORT_OFFSET = Number(process.env.TEST_PORT_OFFSET ?? 0);

export const TEST_SIMULATOR_PORT = 18797 + TEST_PORT_OFFSET;

/** App and simulator ports for one browser-test file; `slot` is unique per file. */
export function browserPorts(slot: number): { app: number; simulator: number } {
  return { app: 8797 + slot + TEST_PORT_OFFSET, simulator: 18807 + slot + TEST_PORT_OFFSET };
}
