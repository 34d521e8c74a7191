import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { handbookPlugin } from './scripts/handbook/vite-plugin.ts';

// Builds the Electron shell: main (ESM) and the engine process (ESM, native and npm dependencies external),
// one sandbox-safe CommonJS preload with everything inlined, and the same renderer the headless host serves.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The shell, and the engine process it starts as an Electron utility process (out/main/engine-process.js).
      rollupOptions: { input: { index: path.resolve('electron/main/index.ts'), 'engine-process': path.resolve('electron/engine/process/entry.ts') } },
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
    plugins: [react(), handbookPlugin(path.resolve('docs'))],
    build: {
      outDir: path.resolve('out/renderer'),
      emptyOutDir: true,
      assetsInlineLimit: 0,
      chunkSizeWarningLimit: 2048,
      rollupOptions: { input: { index: path.resolve('renderer/index.html') } },
    },
  },
});
