/** Worker entry: the Hono app for HTTP, the Queues consumer, and the UserHub Durable Object class. */
import { buildApp } from "./app.ts";
import { handleQueueBatch } from "./queue/consumer.ts";

export { UserHub } from "../durable/user-hub.ts";

const app = buildApp();

// `satisfies` (not a type annotation) keeps `worker.queue()` callable with its real signature in tests.
export default {
  fetch: app.fetch,
  queue: handleQueueBatch,
} satisfies ExportedHandler<Env>;
