// A shared resource, read-only. A link share (`/shared/#<token>`: the token stays in the fragment, so no server
// log or Referer ever sees it) opens without signing in through GET /api/shared/{token}; an account share
// (`/shared/?share=<id>`) opens signed in through GET /api/shares/{id}/view. Unknown, revoked and expired shares
// give the same "not available" view.
import { component$, useStore, useVisibleTask$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { Logo } from "~/components/logo";
import {
  type SharedBenchmarkRun,
  SharedBenchmarkView,
  type SharedExperiment,
  SharedExperimentView,
  type SharedLeaderboard,
  SharedLeaderboardView,
  type SharedToolEvalRun,
  SharedToolEvalView,
} from "~/components/shared-view/shared-views";
import { api } from "~/lib/api-client";
import { ApiError, readJson, send } from "~/lib/http";
import { SHARE_TYPE_LABEL, type ShareResourceType } from "~/lib/share-types";

interface SharedPayload {
  resource_type: ShareResourceType;
  title: string;
  shared_at: string;
  expires_at: string | null;
  view: unknown;
}

interface PageState {
  status: "loading" | "ready" | "missing" | "signin" | "error";
  message: string;
  shared: SharedPayload | null;
}

async function load(): Promise<SharedPayload> {
  const token = decodeURIComponent(window.location.hash.replace(/^#/, ""));
  const shareId = new URLSearchParams(window.location.search).get("share");
  if (token) return readJson<SharedPayload>(await send("GET", `/api/shared/${encodeURIComponent(token)}`));
  if (shareId) return api.get<SharedPayload>(`/api/shares/${encodeURIComponent(shareId)}/view`);
  throw new ApiError({ status: 404, code: "not_found", message: "No share in the address" });
}

export default component$(() => {
  const state = useStore<PageState>({ status: "loading", message: "", shared: null });

  useVisibleTask$(async () => {
    try {
      state.shared = await load();
      state.status = "ready";
      document.title = `${state.shared.title} · shared`;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) state.status = "missing";
      else if (err instanceof ApiError && err.status === 401) state.status = "signin";
      else {
        state.status = "error";
        state.message = err instanceof Error ? err.message : "Something went wrong.";
      }
    }
  });

  const shared = state.shared;
  return (
    <div class="shared-page">
      <header class="landing-header">
        <div class="container landing-header-inner">
          <Logo />
          <span class="badge badge-grey">read-only</span>
        </div>
      </header>
      <main id="main" class="container shared-main" aria-busy={state.status === "loading"}>
        {state.status === "loading" && (
          <p class="muted" role="status">
            Loading the shared results…
          </p>
        )}
        {state.status === "missing" && (
          <section class="notfound-main" data-testid="shared-not-found">
            <h1>This share is not available</h1>
            <p class="muted">The link may have been revoked or have expired, or the address is incomplete. Ask whoever sent it for a new one.</p>
          </section>
        )}
        {state.status === "signin" && (
          <section data-testid="shared-signin">
            <h1>Sign in to open this share</h1>
            <p class="muted">It was shared with named accounts. Sign in with yours, then open the address again.</p>
            <a class="btn btn-primary" href="/">
              Sign in
            </a>
          </section>
        )}
        {state.status === "error" && (
          <p class="inline-error" role="alert">
            {state.message}
          </p>
        )}
        {state.status === "ready" && shared && (
          <article data-testid="shared-view">
            <header class="page-header">
              <div>
                <p class="muted small">{SHARE_TYPE_LABEL[shared.resource_type] ?? "Shared"} · shared read-only</p>
                <h1 data-testid="shared-title">{shared.title}</h1>
                {shared.expires_at && <p class="muted small">This link works until {new Date(shared.expires_at).toLocaleString()}.</p>}
              </div>
            </header>
            {shared.resource_type === "benchmark_run" && <SharedBenchmarkView view={shared.view as SharedBenchmarkRun} />}
            {shared.resource_type === "tool_eval_run" && <SharedToolEvalView view={shared.view as SharedToolEvalRun} />}
            {shared.resource_type === "leaderboard" && <SharedLeaderboardView view={shared.view as SharedLeaderboard} />}
            {shared.resource_type === "experiment" && <SharedExperimentView view={shared.view as SharedExperiment} />}
          </article>
        )}
      </main>
    </div>
  );
});

export const head: DocumentHead = {
  title: "Shared results",
  meta: [
    { name: "robots", content: "noindex, nofollow" },
    { name: "referrer", content: "no-referrer" },
  ],
};
