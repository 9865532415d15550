// Landing page: hero, features, how it works, and the log in / sign up card.
import { $, component$, useOnDocument, useSignal } from "@builder.io/qwik";
import { type DocumentHead, Link } from "@builder.io/qwik-city";
import { type AuthMode, AuthPanel } from "~/components/auth-panel";
import { FeatureIcon, type FeatureIconName } from "~/components/feature-icons";
import { Logo } from "~/components/logo";
import { logout, refreshSession, SESSION_HINT_EVENT, SESSION_HINT_SCRIPT } from "~/lib/session";
import type { User } from "~/lib/types";

/** `coming`: named on the landing page only as what it is, a planned feature, until its page works. */
const FEATURES: { icon: FeatureIconName; title: string; body: string; coming?: boolean }[] = [
  {
    icon: "speed",
    title: "Real-time speed benchmarks",
    body: "Time to first token, output tokens per second and cost per run, streamed live while every provider runs in parallel.",
  },
  {
    icon: "tools",
    title: "Tool-calling eval",
    body: "Score how accurately models pick tools and fill arguments on your own test suites, not someone else's leaderboard.",
  },
  {
    icon: "gauge",
    title: "Capacity probe",
    body: "Step concurrency up a ladder and see where TTFT, inter-token latency and throughput give way: the knee, goodput under your SLO, 429s.",
  },
  {
    icon: "trends",
    title: "Analytics & trends",
    body: "Leaderboards, trends and a Pareto view of speed, accuracy and cost, computed from your own runs.",
  },
  {
    icon: "clock",
    title: "Scheduled runs",
    body: "Re-run a benchmark or tool eval on an interval or a cron, with regression alerts and signed webhooks.",
  },
  {
    icon: "layers",
    title: "Many providers",
    body: "OpenAI, Anthropic, Gemini and any OpenAI-compatible endpoint, each with your own models, pricing and parameters.",
  },
  {
    icon: "export",
    title: "Export everything",
    body: "Download results as CSV or JSON, or pull them from the API with a personal CLI token.",
  },
];

const STEPS = [
  {
    title: "Add keys — or don't",
    body: "Paste provider API keys into your encrypted vault, or start right away with the built-in local simulator.",
  },
  {
    title: "Run",
    body: "Pick models, prompt and context size, then watch per-provider progress stream in.",
  },
  {
    title: "Compare",
    body: "Rank by TTFT, throughput, cost and tool accuracy; keep the history and export it.",
  },
];

export default component$(() => {
  const mode = useSignal<AuthMode>("signup");
  const signedIn = useSignal<User | null>(null);

  // Only a browser that had a session asks the server (see SESSION_HINT_SCRIPT below); anyone else gets the
  // static page and loads code on their first interaction.
  useOnDocument(
    SESSION_HINT_EVENT,
    $(async () => {
      try {
        const user = await refreshSession();
        if (user) signedIn.value = { ...user };
      } catch {
        // The API may be unreachable; the forms still work once it is back.
      }
    }),
  );

  const openAuth = $((next: AuthMode) => {
    mode.value = next;
    const card = document.getElementById("auth");
    card?.scrollIntoView({ behavior: "smooth", block: "center" });
    setTimeout(() => document.getElementById("auth-email")?.focus({ preventScroll: true }), 250);
  });

  const appHref = signedIn.value?.onboarding_completed === false ? "/onboarding/" : "/benchmark/";

  return (
    <div class="landing">
      <script dangerouslySetInnerHTML={SESSION_HINT_SCRIPT} />
      <header class="landing-header">
        <div class="container landing-header-inner">
          <Logo />
          <nav class="landing-nav" aria-label="Page">
            <a href="#features">Features</a>
            <a href="#how">How it works</a>
          </nav>
          <div class="landing-header-actions">
            {signedIn.value ? (
              <Link href={appHref} class="btn btn-primary btn-sm" data-testid="continue-to-app-header">
                Continue to app
              </Link>
            ) : (
              <>
                <button type="button" class="btn btn-ghost btn-sm" onClick$={() => openAuth("login")}>
                  Log in
                </button>
                <button type="button" class="btn btn-primary btn-sm" onClick$={() => openAuth("signup")}>
                  Sign up
                </button>
              </>
            )}
          </div>
        </div>
      </header>

      <main id="main">
        <section class="hero">
          <div class="container hero-grid">
            <div class="hero-copy">
              <p class="eyebrow">Benchmark LLMs the way your users meet them</p>
              <h1 class="hero-title">
                LLM Benchmark <span class="text-accent">Studio</span>
              </h1>
              <p class="hero-tagline">
                Measure speed — time to first token, output speed and cost — across providers in parallel, and tool-calling accuracy on your own
                suites.
              </p>
              <ul class="hero-metrics" aria-label="What gets measured">
                <li>TTFT</li>
                <li>Tokens / second</li>
                <li>Cost per run</li>
                <li>Tool-call accuracy</li>
              </ul>
              <div class="hero-ctas">
                {signedIn.value ? (
                  <Link href={appHref} class="btn btn-primary btn-lg" data-testid="continue-to-app">
                    Continue to app →
                  </Link>
                ) : (
                  <button type="button" class="btn btn-primary btn-lg" onClick$={() => openAuth("signup")}>
                    Get started — it's free
                  </button>
                )}
                <a href="#how" class="btn btn-ghost btn-lg">
                  How it works
                </a>
              </div>
            </div>

            <div class="hero-auth">
              {signedIn.value ? (
                <div class="card signed-in-card" data-testid="signed-in-card">
                  <p class="eyebrow">Welcome back</p>
                  <h2>You're signed in</h2>
                  <p class="muted">
                    as <strong class="text-strong">{signedIn.value.email}</strong>
                  </p>
                  <Link href={appHref} class="btn btn-primary btn-block">
                    Continue to app
                  </Link>
                  <button type="button" class="link-btn signed-in-switch" onClick$={() => logout()}>
                    Use a different account
                  </button>
                </div>
              ) : (
                <AuthPanel mode={mode} />
              )}
            </div>
          </div>
        </section>

        <section id="features" class="section">
          <div class="container">
            <h2 class="section-title">Everything you need to pick the right model</h2>
            <p class="section-lede">Numbers from your prompts, your keys and your regions — not marketing pages.</p>
            <div class="feature-grid">
              {FEATURES.map((f) => (
                <article key={f.title} class="card feature-card">
                  <span class="feature-icon">
                    <FeatureIcon name={f.icon} />
                  </span>
                  <h3>
                    {f.title}
                    {f.coming && <span class="badge badge-outline feature-coming">Coming</span>}
                  </h3>
                  <p>{f.body}</p>
                </article>
              ))}
            </div>
          </div>
        </section>

        <section id="how" class="section section-alt">
          <div class="container">
            <h2 class="section-title">How it works</h2>
            <p class="section-lede">Three steps from sign-up to a ranked comparison.</p>
            <ol class="steps">
              {STEPS.map((step, i) => (
                <li key={step.title} class="card step">
                  <span class="step-num" aria-hidden="true">
                    {i + 1}
                  </span>
                  <h3>{step.title}</h3>
                  <p>{step.body}</p>
                </li>
              ))}
            </ol>
          </div>
        </section>
      </main>

      <footer class="landing-footer">
        <div class="container landing-footer-inner">
          <span class="muted small">LLM Benchmark Studio — runs on Cloudflare Workers.</span>
          <a href="#main" class="muted small">
            Back to top ↑
          </a>
        </div>
      </footer>
    </div>
  );
});

export const head: DocumentHead = {
  title: "",
};
