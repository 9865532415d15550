// Vite config for the Qwik City frontend: client build into dist/, dev proxy to the local Worker.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { qwikVite } from "@builder.io/qwik/optimizer";
import { qwikCity } from "@builder.io/qwik-city/vite";

const API_ORIGIN = "http://127.0.0.1:8787";

export default defineConfig(() => ({
  resolve: { alias: { "~": fileURLToPath(new URL("./src", import.meta.url)) } },
  plugins: [qwikCity({ trailingSlash: true }), qwikVite({ client: { outDir: "dist" } })],
  server: {
    proxy: {
      "/api": { target: API_ORIGIN },
      "/healthz": { target: API_ORIGIN },
      "/ws": { target: API_ORIGIN.replace("http", "ws"), ws: true },
    },
  },
  preview: { headers: { "Cache-Control": "public, max-age=600" } },
}));
