/** Loopback ports used by the test run (kept apart from `npm run dev`'s 18787). */
export const TEST_SIMULATOR_PORT = 18797;
