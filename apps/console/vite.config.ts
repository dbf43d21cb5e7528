// Vite build of the web console. Run from the repository root: `npm run build:console`.
// Output goes to <repo>/dist/console, which the API serves at `/` (SPA fallback to index.html).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { pwa } from './pwa.plugin.ts';

const consoleRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../../dist/console', import.meta.url));

export default defineConfig({
  root: consoleRoot,
  base: '/',
  publicDir: false,
  // The server's pure rules, imported as they are (no copy): GB/T 42195-2022 scoring and levels, the ID-number check
  // and its masking rule, county time (dates, months), the travel model (service circles) and the service catalogue.
  // Those modules import nothing from Nest or TypeORM (libs/*/src/rules/ are pure by convention).
  resolve: {
    alias: {
      '@rules/assessments': fileURLToPath(new URL('../../libs/assessments/src/rules/index.ts', import.meta.url)),
      '@rules/id-number': fileURLToPath(new URL('../../libs/residents/src/rules/id-number.ts', import.meta.url)),
      // the one ID-number masking rule (self-contained), which the id-number rules re-export
      '@care/core/privacy': fileURLToPath(new URL('../../libs/core/src/privacy/id-number-mask.ts', import.meta.url)),
      // county time and the travel model: self-contained folders of core that import nothing
      '@care/core/time': fileURLToPath(new URL('../../libs/core/src/time/index.ts', import.meta.url)),
      '@care/core/geo': fileURLToPath(new URL('../../libs/core/src/geo/index.ts', import.meta.url)),
      // the doorstep service catalogue (names), care orders' pure module
      '@care/care-orders/catalogue': fileURLToPath(
        new URL('../../libs/care-orders/src/rules/service-catalogue.ts', import.meta.url),
      ),
    },
  },
  // the caregiver app offline: service worker, web manifest, icons (pwa.plugin.ts)
  plugins: [pwa(fileURLToPath(new URL('./src/pwa/sw.js', import.meta.url)))],
  // JSX through Vite 8's built-in Oxc transformer (no React plugin needed).
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    assetsInlineLimit: 8192,
  },
  server: {
    fs: { allow: [fileURLToPath(new URL('../..', import.meta.url))] },
    // `npx vite --config apps/console/vite.config.ts` during development, with the API on :3000.
    proxy: { '/api': process.env.CONSOLE_API_TARGET ?? 'http://127.0.0.1:3000' },
  },
});
