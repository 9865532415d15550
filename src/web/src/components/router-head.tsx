// <head> contents for every page: per-route inline scripts, title, meta, favicon, per-route head entries.
import { component$ } from "@builder.io/qwik";
import { useDocumentHead, useLocation } from "@builder.io/qwik-city";

export const RouterHead = component$(() => {
  const head = useDocumentHead();
  const loc = useLocation();
  const title = head.title ? `${head.title} · LLM Benchmark Studio` : "LLM Benchmark Studio";
  return (
    <>
      {/* First: a layout's gate (e.g. the signed-out redirect) runs before anything else is parsed. */}
      {head.scripts.map((s) => (
        <script key={s.key} {...s.props} dangerouslySetInnerHTML={s.script} />
      ))}
      <title>{title}</title>
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="dark" />
      <meta name="theme-color" content="#0a0b0d" />
      <meta
        name="description"
        content="Measure LLM speed (TTFT, output tokens/s, cost) across providers in parallel and tool-calling accuracy on your own suites."
      />
      <link rel="canonical" href={loc.url.pathname} />
      <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
      {head.meta.map((m) => (
        <meta key={m.key} {...m} />
      ))}
      {head.links.map((l) => (
        <link key={l.key} {...l} />
      ))}
    </>
  );
});
