import { pathToFileURL } from 'node:url';
import type { SecretName, Settings, SettingsPatch } from '../../../shared/domain/settings';
import { systemClock } from '../clock';
import { createEngine, type Engine, type FlowDeps } from '../engine';
import { standardFlows } from '../flows';
import type { Flow } from '../flows/flow';
import { createLogger } from '../logging';
import { createHttpClientFactory } from '../net/http-client';
import type { EnginePorts, Logger, SecretStore, SettingsStore } from '../ports';
import { fromWireError, toWireError, type EngineProcessInit, type FromEngine, type HostPortMethod, type ToEngine } from './protocol';

/** The engine process's end of its port to the host. */
export interface HostChannel {
  postMessage(message: FromEngine): void;
  onMessage(listener: (message: ToEngine) => void): void;
  /** Lets go of the port so the process can end. */
  close(): void;
}

/** The longest the engine waits for runs in flight when its host asks it to stop or goes away. */
const STOP_GRACE_MS = 15_000;

/**
 * Runs an engine for a host on the other end of the channel: waits for `init`, builds the engine with its own
 * clock, logger, HTTP and ledger and with the host's settings, secrets and notifications behind the port, then
 * answers calls and forwards every event. Once stopped it lets go of the channel, so the process can end.
 */
export function serveEngine(channel: HostChannel): { stop(): Promise<void> } {
  let engine: Engine | null = null;
  let logger: Logger | null = null;
  let stopping: Promise<void> | null = null;
  let nextPortCall = 1;
  const portCalls = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let letGone = false;

  const callHost = (method: HostPortMethod, ...args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextPortCall++;
      portCalls.set(id, { resolve, reject });
      channel.postMessage({ type: 'port', id, method, args });
    });

  /** Stops once, whoever asks first (the host, a signal, the host going away). */
  function stop(graceMs = STOP_GRACE_MS): Promise<void> {
    stopping ??= (async () => {
      try {
        await engine?.stop(graceMs);
      } finally {
        for (const call of portCalls.values()) call.reject(new Error('The engine is stopping'));
        portCalls.clear();
      }
    })();
    return stopping;
  }

  function letGo(): void {
    if (letGone) return;
    letGone = true;
    logger?.info('Engine process ends');
    channel.close();
  }

  async function start(init: EngineProcessInit): Promise<void> {
    logger = createLogger({ level: init.log.level, destination: init.log.file });
    let settings: Settings = init.settings;
    const settingsPort: SettingsStore = {
      get: () => settings,
      async update(patch: SettingsPatch) {
        settings = (await callHost('settings.update', patch)) as Settings;
        return settings;
      },
    };
    const secrets: SecretStore = {
      get: async (name: SecretName) => (await callHost('secrets.get', name)) as string | undefined,
      set: async (name, value) => void (await callHost('secrets.set', name, value)),
      delete: async (name) => void (await callHost('secrets.delete', name)),
    };
    const ports: EnginePorts = {
      clock: systemClock(),
      logger,
      settings: settingsPort,
      secrets,
      notifier: { notify: (notification) => channel.postMessage({ type: 'notify', notification }) },
      http: createHttpClientFactory(),
    };
    const buildFlows = init.flows ? await flowsFrom(init.flows) : standardFlows;
    engine = createEngine(ports, { ledgerFile: init.ledgerFile, buildFlows });
    engine.subscribe((name, payload) => channel.postMessage({ type: 'event', name, payload }));
  }

  async function call(method: string, args: unknown[]): Promise<unknown> {
    if (!engine) throw new Error('The engine has not started');
    switch (method) {
      case 'query':
        return engine.query(args[0] as never, args[1]);
      case 'command':
        return engine.command(args[0] as never, args[1]);
      case 'start':
        return engine.start();
      case 'stop':
        return stop(typeof args[0] === 'number' ? args[0] : STOP_GRACE_MS);
      case 'pause':
        return engine.pause();
      case 'resume':
        return engine.resume();
      case 'runNow':
        return engine.runNow(args[0] as never);
      case 'runOnce':
        return engine.runOnce();
      case 'status':
        return engine.status();
      case 'idle':
        return engine.idle();
      default:
        throw new Error(`The engine has no method ${method}`);
    }
  }

  channel.onMessage((message) => {
    if (message.type === 'init') {
      start(message.init).then(
        () => channel.postMessage({ type: 'ready' }),
        (error: unknown) => {
          channel.postMessage({ type: 'failed', error: toWireError(error) });
          letGo();
        },
      );
    } else if (message.type === 'call') {
      const { id, method } = message;
      call(method, message.args)
        .then((result) => channel.postMessage({ type: 'reply', id, ok: true, result }))
        // A failure, or an answer that cannot cross the port: the host hears why instead of waiting for ever.
        .catch((error: unknown) => channel.postMessage({ type: 'reply', id, ok: false, error: toWireError(error) }))
        // Stopped at the host's word: answered first, then the port is let go.
        .finally(() => (method === 'stop' ? letGo() : undefined));
    } else if (message.type === 'port-reply') {
      const pending = portCalls.get(message.id);
      portCalls.delete(message.id);
      if (message.ok) pending?.resolve(message.result);
      else pending?.reject(fromWireError(message.error));
    }
  });

  return {
    async stop() {
      await stop();
      letGo();
    },
  };
}

async function flowsFrom(spec: NonNullable<EngineProcessInit['flows']>): Promise<(deps: FlowDeps) => Flow[]> {
  const module = (await import(pathToFileURL(spec.module).href)) as { buildFlows?: (deps: FlowDeps, options: unknown) => Flow[] };
  if (typeof module.buildFlows !== 'function') throw new Error(`${spec.module} does not export buildFlows(deps, options)`);
  const build = module.buildFlows;
  return (deps) => build(deps, spec.options);
}
