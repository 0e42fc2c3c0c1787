// Vite: the static site (index.html app, embed.html iframe entry, examples/ pages). Cross-origin isolation headers
// in dev and preview so onnxruntime-web can use WASM threads; static hosts must send the same two headers (README).

import { readdirSync } from 'node:fs';
import { defineConfig } from 'vite';

/** Every example page (examples/*.html) is a page of the built site too. */
const examples = Object.fromEntries(
  readdirSync('examples')
    .filter((f) => f.endsWith('.html'))
    .map((f) => [`examples/${f.slice(0, -'.html'.length)}`, `examples/${f}`]),
);

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative asset URLs: the built site works from any folder of any static host.
  base: './',
  // No single-page fallback: a missing model file must be a 404, not index.html.
  appType: 'mpa',
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    rollupOptions: { input: { index: 'index.html', embed: 'embed.html', ...examples } },
    chunkSizeWarningLimit: 2000,
  },
});
