// Inline SVG icons for the landing feature cards (no icon font, CSP-safe).
import type { JSXOutput } from "@builder.io/qwik";

const stroke = {
  fill: "none",
  stroke: "currentColor",
  "stroke-width": "1.8",
  "stroke-linecap": "round",
  "stroke-linejoin": "round",
} as const;

export type FeatureIconName = "speed" | "tools" | "trends" | "clock" | "layers" | "export" | "gauge";

export function FeatureIcon({ name }: { name: FeatureIconName }): JSXOutput {
  const paths: Record<FeatureIconName, JSXOutput> = {
    speed: (
      <>
        <path {...stroke} d="M4 15a8 8 0 1 1 16 0" />
        <path {...stroke} d="M12 15l4-5" />
        <circle {...stroke} cx="12" cy="15" r="1.2" />
      </>
    ),
    tools: (
      <>
        <path {...stroke} d="M9 11l2 2 4-4" />
        <rect {...stroke} x="4" y="4" width="16" height="16" rx="3" />
      </>
    ),
    trends: (
      <>
        <path {...stroke} d="M4 19h16" />
        <path {...stroke} d="M5 15l4-4 3 3 6-7" />
      </>
    ),
    clock: (
      <>
        <circle {...stroke} cx="12" cy="12" r="8" />
        <path {...stroke} d="M12 8v4l3 2" />
      </>
    ),
    layers: (
      <>
        <path {...stroke} d="M12 4l8 4-8 4-8-4 8-4z" />
        <path {...stroke} d="M4 12l8 4 8-4" />
        <path {...stroke} d="M4 16l8 4 8-4" />
      </>
    ),
    gauge: (
      <>
        <path {...stroke} d="M4 17a8 8 0 1 1 16 0" />
        <path {...stroke} d="M12 17l4-5" />
        <path {...stroke} d="M4 20h16" />
      </>
    ),
    export: (
      <>
        <path {...stroke} d="M12 4v11" />
        <path {...stroke} d="M8 11l4 4 4-4" />
        <path {...stroke} d="M5 19h14" />
      </>
    ),
  };
  return (
    <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
      {paths[name]}
    </svg>
  );
}
