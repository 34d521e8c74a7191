import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';

// Builds the Electron shell: main (ESM, the engine bundled in, native and npm dependencies external),
// one sandbox-safe CommonJS preload with everything inlined, and the same renderer the headless host serves.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: path.resolve('electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: { index: path.resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: path.resolve('renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: path.resolve('out/renderer'),
      emptyOutDir: true,
      assetsInlineLimit: 0,
      chunkSizeWarningLimit: 2048,
      rollupOptions: { input: { index: path.resolve('renderer/index.html') } },
    },
  },
});
