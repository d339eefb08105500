import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console is a plain single-page app served by the API at `/` (see serve/). In development,
 * `npx vite --config apps/web/vite.config.mts` serves it with /v1 proxied to a running API
 * (API_URL, default http://127.0.0.1:3000).
 */
export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No source maps in the build: the API would serve the console's whole source to anyone.
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: Object.fromEntries(
      ['/v1', '/health', '/docs'].map((path) => [path, { target: process.env.API_URL ?? 'http://127.0.0.1:3000', changeOrigin: false }]),
    ),
  },
});
