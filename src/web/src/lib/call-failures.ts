// Failed calls grouped for a summary: one group per class, provider, host and message, most frequent first.

/** The failure fields results carry (benchmark_result, tool_eval_result and both histories). */
export interface CallFailureFacts {
  provider: string;
  error: string | null;
  error_class: string | null;
  error_host: string | null;
  error_hint: string | null;
}

export interface FailureGroup extends CallFailureFacts {
  count: number;
  models: string[];
}

export function groupFailures(items: Iterable<CallFailureFacts & { model: string }>): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const f of items) {
    const error = f.error?.trim() || null;
    const key = [f.error_class, f.provider, f.error_host, error].join("\u0000");
    const group = groups.get(key) ?? {
      provider: f.provider,
      error: error ?? (f.error_class ? null : "Unknown error"),
      error_class: f.error_class,
      error_host: f.error_host ?? null,
      error_hint: f.error_hint ?? null,
      count: 0,
      models: [],
    };
    group.count += 1;
    if (!group.models.includes(f.model)) group.models.push(f.model);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
