// Not-found page; SSG writes it as dist/404.html (served by Workers static assets for unknown paths).
import { component$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { Logo } from "~/components/logo";

export default component$(() => (
  <div class="notfound">
    <header class="landing-header">
      <div class="container landing-header-inner">
        <Logo />
      </div>
    </header>
    <main id="main" class="container notfound-main">
      <p class="notfound-code" aria-hidden="true">
        404
      </p>
      <h1>This page doesn't exist</h1>
      <p class="muted">The link may be old, or the address has a typo.</p>
      <div class="notfound-actions">
        <a href="/" class="btn btn-primary">
          Go to the home page
        </a>
        <a href="/benchmark/" class="btn btn-ghost">
          Open the app
        </a>
      </div>
    </main>
  </div>
));

export const head: DocumentHead = {
  title: "Page not found",
  meta: [{ name: "robots", content: "noindex" }],
};
