// Brand mark + wordmark; links home.
import { component$ } from "@builder.io/qwik";
import { AppLink } from "./app-link";

export const LogoMark = component$(() => (
  <svg class="logo-mark" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
    <rect width="32" height="32" rx="8" fill="#BFFF00" />
    <rect x="7" y="17" width="4" height="8" rx="1.5" fill="#0a0b0d" />
    <rect x="14" y="11" width="4" height="14" rx="1.5" fill="#0a0b0d" />
    <rect x="21" y="6" width="4" height="19" rx="1.5" fill="#0a0b0d" />
  </svg>
));

/** An in-app target gets an `AppLink` (client-side navigation); "/" is a plain link, so the landing page and
 * the onboarding header load no router code just to show the logo. */
export const Logo = component$<{ href?: string }>(({ href = "/" }) => {
  const content = (
    <>
      <LogoMark />
      <span class="logo-text">
        LLM Benchmark <span class="logo-accent">Studio</span>
      </span>
    </>
  );
  return href === "/" ? (
    <a href={href} class="logo" aria-label="LLM Benchmark Studio home">
      {content}
    </a>
  ) : (
    <AppLink href={href} class="logo" aria-label="LLM Benchmark Studio home">
      {content}
    </AppLink>
  );
});
