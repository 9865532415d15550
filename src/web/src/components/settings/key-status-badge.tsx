// Vault status badge: YOUR KEY / SHARED / NOT SET / NO KEY NEEDED.
import type { JSXOutput } from "@builder.io/qwik";
import type { KeyStatus } from "~/lib/types";
import { Badge, type BadgeTone } from "../badge";

export const KEY_BADGES: Record<KeyStatus, { label: string; tone: BadgeTone; title: string }> = {
  user: { label: "YOUR KEY", tone: "lime", title: "Your own key is stored (encrypted) and used for your runs." },
  shared: { label: "SHARED", tone: "blue", title: "An admin-provided shared key is used unless you add your own." },
  not_set: { label: "NOT SET", tone: "grey", title: "No key yet — runs against this provider will fail." },
  not_required: { label: "NO KEY NEEDED", tone: "teal", title: "This provider works without an API key." },
};

export function KeyStatusBadge({ status, providerKey }: { status: KeyStatus; providerKey: string }): JSXOutput {
  const badge = KEY_BADGES[status] ?? KEY_BADGES.not_set;
  return (
    <Badge tone={badge.tone} testId={`key-badge-${providerKey}`} title={badge.title}>
      {badge.label}
    </Badge>
  );
}
