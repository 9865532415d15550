// Honest "coming soon" page: what this section will do, no fake data.
import { component$, Slot } from "@builder.io/qwik";

export interface PlaceholderProps {
  title: string;
  summary: string;
  planned: string[];
}

export const PlaceholderPage = component$<PlaceholderProps>(({ title, summary, planned }) => (
  <section class="page">
    <header class="page-header">
      <div>
        <h1>{title}</h1>
        <p class="page-lede">{summary}</p>
      </div>
      <span class="badge badge-outline">In progress</span>
    </header>
    <div class="card planned-card">
      <h2 class="card-title">Planned for this page</h2>
      <ul class="planned-list">
        {planned.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </div>
    <Slot />
  </section>
));
