import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createEngine,
  createHttpClientFactory,
  createLogger,
  standardFlows,
  systemClock,
  type Engine,
  type Flow,
  type FlowDeps,
  type Logger,
  type SecretStore,
} from '../engine';
import type { HostConfig } from './config';
import { environmentSecretStore, fileSettingsStore, logNotifier } from './adapters';
import { startConsoleServer, type ConsoleServer } from './console-server';

/** The built console, next to the sources: out/renderer at the project root. */
export const CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../out/renderer');

export interface Host {
  engine: Engine;
  logger: Logger;
  server: ConsoleServer | null;
  stop(): Promise<void>;
}

export interface HostOptions {
  config: HostConfig & { dataDir: string };
  /** Serve the console and its WebSocket (not for --once). */
  serveConsole: boolean;
  secrets?: SecretStore;
  token?: string;
  buildFlows?: (deps: FlowDeps) => Flow[];
  /** Where log lines go; the engine.log in the data folder by default. */
  logDestination?: string | NodeJS.WritableStream;
}

/** Builds the engine with Node adapters for every port and, optionally, the console server in front of it. */
export async function startHost(options: HostOptions): Promise<Host> {
  const { config } = options;
  mkdirSync(config.dataDir, { recursive: true });
  const logger = createLogger({ level: config.log.level, destination: options.logDestination ?? path.join(config.dataDir, config.log.file) });
  const engine = createEngine(
    {
      clock: systemClock(),
      logger,
      settings: fileSettingsStore(config, config.dataDir),
      secrets: options.secrets ?? environmentSecretStore(config),
      notifier: logNotifier(logger),
      http: createHttpClientFactory(),
    },
    { ledgerFile: path.join(config.dataDir, 'ledger.db'), buildFlows: options.buildFlows ?? standardFlows },
  );
  const server = options.serveConsole
    ? await startConsoleServer({ engine, logger, staticDir: CONSOLE_DIR, port: config.console.port, ...(options.token ? { token: options.token } : {}) })
    : null;
  return {
    engine,
    logger,
    server,
    async stop() {
      await server?.close();
      await engine.stop();
    },
  };
}
