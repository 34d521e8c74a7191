import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createEngine,
  createHttpClientFactory,
  createLogger,
  ensurePrivateDir,
  inProcessClient,
  standardFlows,
  startEngineProcess,
  systemClock,
  type EngineClient,
  type EngineProcessInit,
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
  /** The engine, in its own process unless asked otherwise; every call is a message to it. */
  engine: EngineClient;
  logger: Logger;
  server: ConsoleServer | null;
  /** Resolves with the exit code if the engine process ends without being asked to (the host cannot go on without it). */
  engineLost: Promise<number | null>;
  stop(): Promise<void>;
}

export interface HostOptions {
  config: HostConfig & { dataDir: string };
  /** Serve the console and its WebSocket (not for --once). */
  serveConsole: boolean;
  secrets?: SecretStore;
  token?: string;
  /**
   * Where the engine runs. `process` (the default, and what the CLI and the sandbox use): a child process, so a big
   * stock cycle or a long SQLite write never holds up the console. `this-thread`: beside the console server, as
   * before (the responsiveness benchmark's comparison, tests that hand the engine functions).
   */
  engineIn?: 'process' | 'this-thread';
  /** Flows other than the standard set for an engine process: a module exporting buildFlows(deps, options) (tests). */
  flows?: EngineProcessInit['flows'];
  /** Flows other than the standard set for an engine on this thread. */
  buildFlows?: (deps: FlowDeps) => Flow[];
  /** Where log lines go; the engine.log in the data folder by default. */
  logDestination?: string;
}

/** The host's environment less the variables the configuration names for secrets: the engine process never holds them. */
export function withoutSecretVariables(env: NodeJS.ProcessEnv, config: Pick<HostConfig, 'secrets'>): NodeJS.ProcessEnv {
  const secretVariables = new Set(Object.values(config.secrets).map((s) => s.env));
  return Object.fromEntries(Object.entries(env).filter(([name]) => !secretVariables.has(name)));
}

/**
 * Starts the engine with the host's settings, secrets and notifications (kept on this side and lent to the engine
 * over its port), and, optionally, the console server in front of it.
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const { config } = options;
  // The ledger (customers' names and addresses), the log and the settings: this user's only (0700, files 0600).
  ensurePrivateDir(config.dataDir);
  const logFile = options.logDestination ?? path.join(config.dataDir, config.log.file);
  const logger = createLogger({ level: config.log.level, destination: logFile });
  const settings = fileSettingsStore(config, config.dataDir);
  const secrets = options.secrets ?? environmentSecretStore(config);
  const notifier = logNotifier(logger);
  const ledgerFile = path.join(config.dataDir, 'ledger.db');

  let engine: EngineClient;
  let engineLost: Promise<number | null>;
  if ((options.engineIn ?? 'process') === 'process') {
    if (options.buildFlows) throw new Error('buildFlows runs on this thread only: give an engine process a flows module instead');
    const child = await startEngineProcess(
      { ledgerFile, log: { level: config.log.level, file: logFile }, ...(options.flows ? { flows: options.flows } : {}) },
      { settings, secrets, notifier, logger },
      { env: withoutSecretVariables(process.env, config) },
    );
    engine = child;
    engineLost = new Promise((resolve) => child.onUnexpectedExit(resolve));
  } else {
    const ports = { clock: systemClock(), logger, settings, secrets, notifier, http: createHttpClientFactory() };
    engine = inProcessClient(createEngine(ports, { ledgerFile, buildFlows: options.buildFlows ?? standardFlows }));
    engineLost = new Promise(() => undefined);
  }

  const server = options.serveConsole
    ? await startConsoleServer({
        engine,
        logger,
        staticDir: CONSOLE_DIR,
        port: config.console.port,
        address: config.console.address,
        hostNames: config.console.hostNames,
        ...(options.token ? { token: options.token } : {}),
      }).catch(async (error: unknown) => {
        await engine.stop();
        throw error;
      })
    : null;
  return {
    engine,
    logger,
    server,
    engineLost,
    async stop() {
      await server?.close();
      await engine.stop();
    },
  };
}
