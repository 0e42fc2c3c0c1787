// Vite: the static site (index.html app, embed.html iframe entry). Cross-origin isolation headers in dev and
// preview so onnxruntime-web can use WASM threads; static hosts must send the same two headers (README).

import { defineConfig } from 'vite';

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
    rollupOptions: { input: { index: 'index.html', embed: 'embed.html' } },
    chunkSizeWarningLimit: 2000,
  },
});
