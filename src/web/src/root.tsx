// Document root: Qwik City provider, <head>, and the router outlet.
import { component$ } from "@builder.io/qwik";
import { QwikCityProvider, RouterOutlet } from "@builder.io/qwik-city";
import { RouterHead } from "./components/router-head";
import "./global.css";
import "./styles/benchmark.css";
import "./styles/history.css";
import "./styles/jobs.css";
import "./styles/tool-eval.css";

export default component$(() => (
  <QwikCityProvider>
    <head>
      <meta charset="utf-8" />
      <RouterHead />
    </head>
    <body>
      <RouterOutlet />
    </body>
  </QwikCityProvider>
));
