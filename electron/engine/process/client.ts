import type { CommandName, CommandResponse, EventName, QueryName, QueryResponse } from '../../../shared/contract';
import type { EngineStatus, FlowName } from '../../../shared/domain/flows';
import type { SecretName, SettingsPatch } from '../../../shared/domain/settings';
import type { Engine, RunSummary } from '../engine';
import type { EngineEventListener } from '../events';
import type { Logger, Notifier, SecretStore, SettingsStore } from '../ports';
import { fromWireError, toWireError, type EngineMethod, type EngineProcessInit, type FromEngine, type HostPortMethod, type ToEngine } from './protocol';

/** The contract as a console reaches it: what the WebSocket server and the Electron IPC router need. */
export interface ContractEndpoint {
  query<N extends QueryName>(name: N, payload: unknown): Promise<QueryResponse<N>>;
  command<N extends CommandName>(name: N, payload: unknown): Promise<CommandResponse<N>>;
  subscribe(listener: EngineEventListener): () => void;
}

/** An engine as its host drives it, wherever it runs: every method answers asynchronously. */
export interface EngineClient extends ContractEndpoint {
  start(): Promise<void>;
  /** Stops the engine (runs in flight get up to graceMs) and, for an engine process, waits for the process to end. */
  stop(graceMs?: number): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  runNow(flow?: FlowName): Promise<FlowName[]>;
  runOnce(): Promise<RunSummary[]>;
  status(): Promise<EngineStatus>;
  /** Resolves when no flow is running. */
  idle(): Promise<void>;
}

/** An engine on the host's own thread, behind the same client (tests, and the responsiveness benchmark's comparison). */
export function inProcessClient(engine: Engine): EngineClient {
  return {
    query: (name, payload) => engine.query(name, payload),
    command: (name, payload) => engine.command(name, payload),
    subscribe: (listener) => engine.subscribe(listener),
    start: async () => engine.start(),
    stop: (graceMs) => engine.stop(graceMs),
    pause: async () => engine.pause(),
    resume: async () => engine.resume(),
    runNow: async (flow) => engine.runNow(flow),
    runOnce: () => engine.runOnce(),
    status: async () => engine.status(),
    idle: () => engine.idle(),
  };
}

/** The host's end of the port to an engine process, whatever carries it (utility process, child process, worker). */
export interface EngineChannel {
  postMessage(message: ToEngine): void;
  onMessage(listener: (message: FromEngine) => void): void;
  /** The process ended: after a stop, or on its own (a crash). */
  onExit(listener: (code: number | null) => void): void;
  /** Ends the process at once (it did not stop in time). */
  kill(): void;
  /** The process's id, for logs and for tests that check it has gone (none for a worker thread). */
  readonly pid?: number | undefined;
}

/** What the host keeps on its side and lends the engine over the port. */
export interface HostPorts {
  settings: SettingsStore;
  secrets: SecretStore;
  notifier: Notifier;
  logger: Logger;
}

export interface EngineProcess extends EngineClient {
  readonly pid: number | undefined;
  /** Resolves with the exit code when the process ends, for whatever reason. */
  readonly exited: Promise<number | null>;
  /** Called when the process ends without having been asked to stop. */
  onUnexpectedExit(listener: (code: number | null) => void): void;
}

/** How long after its answer to stop an engine process may take to end before it is killed. */
const EXIT_WAIT_MS = 5_000;

/**
 * Connects to an engine process over its channel: sends `init`, resolves once the engine is built, and from then on
 * turns method calls into messages and the engine's calls on the host's ports (settings, secrets, notifications)
 * into calls on the host's own. A call that was pending when the process ended is rejected with why.
 */
export function connectEngineProcess(channel: EngineChannel, init: Omit<EngineProcessInit, 'settings'>, host: HostPorts): Promise<EngineProcess> {
  const listeners = new Set<EngineEventListener>();
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const unexpected = new Set<(code: number | null) => void>();
  let nextId = 1;
  let stopAsked = false;
  let exitCode: number | null | undefined;
  let onReady: { resolve(): void; reject(error: Error): void } | null = null;
  let markExited: (code: number | null) => void = () => undefined;
  const exited = new Promise<number | null>((resolve) => (markExited = resolve));

  function call(method: EngineMethod, ...args: unknown[]): Promise<unknown> {
    if (exitCode !== undefined) return Promise.reject(new Error(`The engine process has ended (exit code ${exitCode})`));
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      channel.postMessage({ type: 'call', id, method, args });
    });
  }

  async function answerPort(id: number, method: HostPortMethod, args: unknown[]): Promise<void> {
    try {
      const result = await hostPort(method, args);
      channel.postMessage({ type: 'port-reply', id, ok: true, result });
    } catch (error) {
      channel.postMessage({ type: 'port-reply', id, ok: false, error: toWireError(error) });
    }
  }

  function hostPort(method: HostPortMethod, args: unknown[]): Promise<unknown> {
    switch (method) {
      case 'settings.update':
        return host.settings.update(args[0] as SettingsPatch);
      case 'secrets.get':
        return host.secrets.get(args[0] as SecretName);
      case 'secrets.set':
        return host.secrets.set(args[0] as SecretName, args[1] as string);
      case 'secrets.delete':
        return host.secrets.delete(args[0] as SecretName);
    }
  }

  channel.onMessage((message) => {
    switch (message.type) {
      case 'ready':
        onReady?.resolve();
        return;
      case 'failed':
        onReady?.reject(fromWireError(message.error));
        return;
      case 'reply': {
        const waiting = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) waiting?.resolve(message.result);
        else waiting?.reject(fromWireError(message.error));
        return;
      }
      case 'event':
        for (const l of listeners) {
          try {
            l(message.name as EventName, message.payload as never);
          } catch {
            // A console that fails to take an event must not stop the others.
          }
        }
        return;
      case 'notify':
        host.notifier.notify(message.notification);
        return;
      case 'port':
        void answerPort(message.id, message.method, message.args);
        return;
    }
  });

  channel.onExit((code) => {
    exitCode = code;
    const why = new Error(`The engine process ended (exit code ${code})`);
    onReady?.reject(why);
    for (const p of pending.values()) p.reject(why);
    pending.clear();
    if (!stopAsked) {
      host.logger.error('The engine process ended without being asked to', { exitCode: code });
      for (const l of unexpected) l(code);
    }
    markExited(code);
  });

  const client: EngineProcess = {
    get pid() {
      return channel.pid;
    },
    exited,
    onUnexpectedExit: (listener) => void unexpected.add(listener),
    query: (name, payload) => call('query', name, payload) as never,
    command: (name, payload) => call('command', name, payload) as never,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start: async () => void (await call('start')),
    async stop(graceMs) {
      if (exitCode !== undefined) return;
      stopAsked = true;
      // An engine that ends before it answers has stopped too.
      await Promise.race([call('stop', graceMs).catch(() => undefined), exited]);
      const timer = setTimeout(() => channel.kill(), EXIT_WAIT_MS);
      await exited;
      clearTimeout(timer);
    },
    pause: async () => void (await call('pause')),
    resume: async () => void (await call('resume')),
    runNow: (flow) => call('runNow', flow) as Promise<FlowName[]>,
    runOnce: () => call('runOnce') as Promise<RunSummary[]>,
    status: () => call('status') as Promise<EngineStatus>,
    idle: async () => void (await call('idle')),
  };

  return new Promise<EngineProcess>((resolve, reject) => {
    onReady = {
      resolve: () => {
        onReady = null;
        resolve(client);
      },
      reject: (error) => {
        onReady = null;
        stopAsked = true;
        channel.kill();
        reject(error);
      },
    };
    channel.postMessage({ type: 'init', init: { ...init, settings: host.settings.get() } });
  });
}
