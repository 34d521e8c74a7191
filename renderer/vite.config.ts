import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { handbookPlugin } from '../scripts/handbook/vite-plugin.ts';

// Vite injects import.meta.dirname when it bundles this file, so the root and output resolve
// the same way whether `build:console` runs from the repo root or elsewhere.
const here = import.meta.dirname;

export default defineConfig({
  root: here,
  // Relative asset URLs: Electron loads the console from file://, the headless host from http://127.0.0.1.
  base: './',
  // The handbook (docs/) rendered into the build, so it opens offline from the console.
  plugins: [react(), handbookPlugin(`${here}/../docs`)],
  build: {
    outDir: `${here}/../out/renderer`,
    emptyOutDir: true,
    // No inline data: scripts or styles, so the strict CSP in index.html holds.
    assetsInlineLimit: 0,
    target: 'chrome130',
    // The console loads from local disk (Electron) or loopback (headless host), never over the internet: one
    // ~1.1 MB bundle costs nothing worth splitting for, so the web-oriented 500 kB warning would only alarm.
    chunkSizeWarningLimit: 2048,
  },
});
