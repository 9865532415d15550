/** Worker entry: the Hono app for HTTP, the web app's page data, the Queues consumer, and the UserHub Durable Object class. */
import { buildApp } from "./app.ts";
import { isPageDataPath, servePageData } from "./page-data.ts";
import { handleQueueBatch } from "./queue/consumer.ts";

export { UserHub } from "../durable/user-hub.ts";
export { CapacityLane } from "./capacity/lane.ts";

const app = buildApp();

// `satisfies` (not a type annotation) keeps `worker.queue()` callable with its real signature in tests.
export default {
  fetch: (request, env, ctx) => (isPageDataPath(new URL(request.url).pathname) ? servePageData(request, env.ASSETS) : app.fetch(request, env, ctx)),
  queue: handleQueueBatch,
} satisfies ExportedHandler<Env>;
