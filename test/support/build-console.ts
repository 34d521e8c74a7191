import { build } from 'vite';

/** Builds the console once per test run, so end-to-end tests exercise what the hosts serve. */
export default async function setup(): Promise<void> {
  await build({ configFile: 'renderer/vite.config.ts', logLevel: 'warn', mode: 'production' });
}
