/**
 * The bare client the overhead scenario compares the product with: plain `fetch` plus an SSE reader, stamping
 * per spec/metrics.md (t0 just before fetch; TTFT at the first event with non-empty answer, reasoning or tool
 * output; output speed = (output_tokens − 1) / (t_last − t_first), tokens from the provider's usage).
 * Run alone: `node bench/bare-client.ts http://127.0.0.1:18787/v1 sim-ttft300-tps60-len200`.
 */
export interface BareRun {
  request_id: string;
  /** Epoch ms (sub-ms), the same clock as the simulator's send log. */
  t0: number;
  ttft_ms: number;
  output_tokens: number;
  output_speed_tps: number | null;
  total_ms: number;
}

const now = () => performance.timeOrigin + performance.now();

export async function bareRun(baseUrl: string, model: string, requestId: string, maxTokens = 1024): Promise<BareRun> {
  const body = {
    model,
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: maxTokens,
    messages: [{ role: "user", content: "Say something." }],
  };
  const headers = { "content-type": "application/json", authorization: "Bearer sk-bare", "x-sim-request-id": requestId };
  const t0 = now();
  const res = await fetch(`${baseUrl}/chat/completions`, { method: "POST", headers, body: JSON.stringify(body) });
  if (!res.ok || !res.body) throw new Error(`bare client: HTTP ${res.status}`);
  let first: number | null = null;
  let last: number | null = null;
  let tokens: number | null = null;
  let buffer = "";
  const decoder = new TextDecoder();
  const reader = res.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    const at = now(); // stamp on arrival, parse after
    buffer += decoder.decode(read.value, { stream: true });
    for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
      const data = buffer.slice(0, end).replace(/^data: ?/, "");
      buffer = buffer.slice(end + 2);
      if (!data.startsWith("{")) continue; // [DONE]
      const chunk = JSON.parse(data);
      const d = chunk.choices?.[0]?.delta ?? {};
      if (d.content || d.reasoning_content || d.tool_calls?.length) [first, last] = [first ?? at, at];
      if (chunk.usage) tokens = chunk.usage.completion_tokens;
    }
  }
  const end = now();
  if (first === null || last === null || tokens === null) throw new Error("bare client: no output or no usage");
  const speed = tokens >= 2 && last > first ? ((tokens - 1) * 1000) / (last - first) : null;
  return { request_id: requestId, t0, ttft_ms: first - t0, output_tokens: tokens, output_speed_tps: speed, total_ms: end - t0 };
}

if (import.meta.main) {
  const [baseUrl = "http://127.0.0.1:18787/v1", model = "sim-ttft300-tps60-len200"] = process.argv.slice(2);
  console.log(JSON.stringify(await bareRun(baseUrl, model, `bare-${Date.now()}`)));
}
