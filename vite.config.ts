// Builds the web UI (web/: the search page and the dashboard) into dist/web, which `quiver serve` serves at / and
// /dashboard. Two HTML entry points, no CDN: everything the pages need is bundled.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const web = resolve(import.meta.dirname, 'web');

export default defineConfig({
  root: web,
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    rollupOptions: { input: { search: resolve(web, 'index.html'), dashboard: resolve(web, 'dashboard.html') } },
  },
});
