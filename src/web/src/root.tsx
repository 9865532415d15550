// Document root: Qwik City provider, <head>, and the router outlet.
import { component$ } from "@builder.io/qwik";
import { QwikCityProvider, RouterOutlet } from "@builder.io/qwik-city";
import { RouterHead } from "./components/router-head";
import "./global.css";
// Page styles after global.css and in this order: the cascade depends on it.
import "./styles/settings.css";
import "./styles/onboarding.css";
import "./styles/landing.css";
import "./styles/not-found.css";
import "./styles/benchmark.css";
import "./styles/history.css";
import "./styles/jobs.css";
import "./styles/tool-eval.css";
import "./styles/prompt-tune.css";
// admin console (issue 16)
import "./styles/admin.css";
import "./styles/experiments.css"; // experiments (issue 14)
import "./styles/analytics.css"; // analytics and settings backup (issue 15)
import "./styles/schedules.css"; // schedules (issue 15)
import "./styles/capacity.css"; // capacity probe (issue 18)

// No view transitions: History and the case drill-down change views through the router (their address holds
// them), and a cross-fade of the whole page for each, with a modal open, took ~2 s in Chromium instead of 0.5 s.
export default component$(() => (
  <QwikCityProvider viewTransition={false}>
    <head>
      <meta charset="utf-8" />
      <RouterHead />
    </head>
    <body>
      <RouterOutlet />
    </body>
  </QwikCityProvider>
));
