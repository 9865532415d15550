// SSG build: prerenders every route into dist/ as static HTML (no runtime server).
import { staticAdapter } from "@builder.io/qwik-city/adapters/static/vite";
import { extendConfig } from "@builder.io/qwik-city/vite";
import baseConfig from "../../vite.config";

export default extendConfig(baseConfig, () => ({
  build: {
    ssr: true,
    rollupOptions: { input: ["@qwik-city-plan"] },
  },
  // No sitemap: the app pages are behind login and the origin differs per deployment.
  plugins: [staticAdapter({ origin: "http://localhost:8787", sitemapOutFile: null })],
}));
