// The server's WebSocket events as the web reads them: the shared `ServerEvent` union (src/shared/events.ts), with
// the tool-eval payloads typed by their schemas there (the hub checks those payloads only as records). Types only.
import type { ServerEvent, ToolEvalInitData, ToolEvalProgressData, ToolEvalResultData } from "../../../shared/events.ts";

interface ToolEvalPayloads {
  tool_eval_init: ToolEvalInitData;
  tool_eval_progress: ToolEvalProgressData;
  tool_eval_result: ToolEvalResultData;
}

type WithTypedPayload<E> = E extends { type: keyof ToolEvalPayloads } ? Omit<E, "data"> & { data: ToolEvalPayloads[E["type"]] } : E;

export type LiveEvent = WithTypedPayload<ServerEvent>;
export type LiveEventType = LiveEvent["type"];
export type LiveEventOf<T extends LiveEventType> = Extract<LiveEvent, { type: T }>;
