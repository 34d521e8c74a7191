import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import react from '@vitejs/plugin-react';
import { handbookPlugin } from './scripts/handbook/vite-plugin.ts';

/** Debian's Chromium, never a downloaded browser build; these flags keep it quiet on a closed network. */
export const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

export default defineConfig({
  test: {
    reporters: process.env.VITEST_JSON ? ['default', ['json', { outputFile: process.env.VITEST_JSON }]] : ['default'],
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          // test/electron runs in the real Electron, apart (npm run test:electron).
          exclude: ['test/ui/**', 'test/electron/**'],
          environment: 'node',
          globalSetup: ['test/support/build-console.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Two cores: keep integration suites (emulators, Chromium) from starving each other.
          maxWorkers: 2,
        },
      },
      {
        plugins: [react(), handbookPlugin(`${import.meta.dirname}/docs`)],
        // Bundled before the first test, so Vite never finds a dependency mid-run and reloads the page (a second React).
        optimizeDeps: {
          include: [
            'react',
            'react/jsx-dev-runtime',
            'react-dom/client',
            'zod',
            'decimal.js',
            'zustand',
            'zustand/vanilla',
            'zustand/middleware',
            '@tanstack/react-query',
            '@tanstack/react-table',
            '@tanstack/react-virtual',
            'vitest-browser-react',
            'uplot',
            'axe-core',
            'csv-stringify/browser/esm/sync',
          ],
        },
        test: {
          name: 'ui',
          include: ['test/ui/**/*.test.tsx'],
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: CHROMIUM }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
