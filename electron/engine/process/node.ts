import { fork } from 'node:child_process';
import { constants, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { connectEngineProcess, type EngineChannel, type EngineProcess, type HostPorts } from './client';
import type { EngineProcessInit } from './protocol';

/**
 * The engine process's heap budget. Its live data stays small (about 35 MB through a 100,000-SKU stock cycle: the
 * ledger holds the rest), but V8 lets a heap grow far past what is live before it collects — to 420 MB in that cycle.
 * A small young generation and an old-generation ceiling make it collect sooner, so the engine stays under 250 MB on
 * an office PC; 384 MB is ten times what the engine keeps, and an engine that did reach it would be a leak to find,
 * not a figure to allow for (decision 0002). The Electron shell starts its utility process with the same flags.
 */
export const ENGINE_HEAP_FLAGS = ['--max-old-space-size=384', '--max-semi-space-size=1'] as const;

/** The engine process's module (entry.ts beside this file). The Electron shell runs its built copy instead. */
export const ENGINE_ENTRY = fileURLToPath(new URL('./entry.ts', import.meta.url));

export interface NodeEngineOptions {
  /** A child process (the default: as apart from the host as an Electron utility process is) or a worker thread. */
  mode?: 'child' | 'worker';
  entry?: string;
  /**
   * The child process's environment (the host's by default). The headless host leaves out the variables that hold the
   * secrets: the engine asks the host for a secret when it needs one, and an environment is readable by any process
   * of the same user and carried by crash reports.
   */
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts an engine in its own process (or worker thread) on plain Node — the headless host's way, and how tests
 * reach the same engine-process module the Electron shell runs. Resolves once the engine is built.
 */
export function startEngineProcess(init: Omit<EngineProcessInit, 'settings'>, host: HostPorts, options: NodeEngineOptions = {}): Promise<EngineProcess> {
  const entry = options.entry ?? ENGINE_ENTRY;
  // From sources, the process needs the same TypeScript loader the host runs on.
  const loader = entry.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
  const channel =
    options.mode === 'worker' ? workerChannel(entry, loader, host) : childChannel(entry, [...ENGINE_HEAP_FLAGS, ...loader], host, options.env ?? process.env);
  return connectEngineProcess(channel, init, host);
}

function childChannel(entry: string, execArgv: string[], host: HostPorts, env: NodeJS.ProcessEnv): EngineChannel {
  const child = fork(entry, [], { execArgv, env, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.on('error', (error) => host.logger.error('Engine process error', { error: error.message }));
  belowNormalPriority(child.pid, host);
  return {
    postMessage(message) {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => void child.on('message', (m) => listener(m as never)),
    onExit: (listener) => void child.once('exit', (code) => listener(code)),
    kill: () => void child.kill('SIGKILL'),
    pid: child.pid,
  };
}

/**
 * The engine is background work: when the computer is short of CPU (a big stock cycle, other programs), the console's
 * process gets it first, so the console stays responsive. The engine still has every cycle nobody else wants.
 */
export function belowNormalPriority(pid: number | undefined, host: Pick<HostPorts, 'logger'>): void {
  if (pid === undefined) return;
  try {
    setPriority(pid, constants.priority.PRIORITY_BELOW_NORMAL);
  } catch (error) {
    host.logger.warn('The engine process keeps normal priority', { error: error instanceof Error ? error.message : String(error) });
  }
}

function workerChannel(entry: string, execArgv: string[], host: HostPorts): EngineChannel {
  const worker = new Worker(entry, { execArgv });
  worker.on('error', (error) => host.logger.error('Engine worker error', { error: error.message }));
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) => void worker.on('message', (m) => listener(m as never)),
    onExit: (listener) => void worker.once('exit', (code) => listener(code)),
    kill: () => void worker.terminate(),
  };
}
