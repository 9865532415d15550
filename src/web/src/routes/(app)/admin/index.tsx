// Admin placeholder: admins see the planned tools; everyone else sees an honest "admins only".
import { component$ } from "@builder.io/qwik";
import { type DocumentHead, Link } from "@builder.io/qwik-city";
import { PlaceholderPage } from "~/components/placeholder-page";
import { useSession } from "~/lib/session-context";

export default component$(() => {
  const session = useSession();
  if (session.status === "ready" && session.user?.role !== "admin") {
    return (
      <section class="page">
        <div class="card empty-state" data-testid="admin-forbidden">
          <h1>Admins only</h1>
          <p class="muted">Your account doesn't have access to the admin area.</p>
          <Link href="/benchmark/" class="btn btn-ghost">
            Back to Benchmark
          </Link>
        </div>
      </section>
    );
  }
  return (
    <PlaceholderPage
      title="Admin"
      summary="The admin area will let you run this studio for a team: manage accounts, shared provider keys and limits. It is not built yet."
      planned={[
        "User list with roles, last activity and the ability to disable accounts",
        "Shared (global) provider keys that every user can benchmark with",
        "Usage per user and provider, with rate limits",
        "Audit log of sign-ins and configuration changes",
        "System health: queue depth, running jobs, version",
      ]}
    />
  );
});

export const head: DocumentHead = { title: "Admin" };
