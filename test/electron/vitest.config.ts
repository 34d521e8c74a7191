import path from 'node:path';
import { defineConfig } from 'vitest/config';

/** The desktop app in the real Electron (scripts/test-electron.sh): never part of npm test, which has no Electron binary. */
export default defineConfig({
  test: {
    root: path.resolve(import.meta.dirname, '../..'),
    include: ['test/electron/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
