/**
 * The engine process: the module an Electron utility process, a child process (child_process.fork) or a worker
 * thread runs. It finds its port to the host, serves the engine on it, and ends when the host stops it or goes away.
 */
import { isMainThread, parentPort as workerPort } from 'node:worker_threads';
import { serveEngine, type HostChannel } from './serve';
import type { ToEngine } from './protocol';

/** Electron's process.parentPort in a utility process (typed here: the engine never imports electron). */
interface UtilityParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

type Kind = 'utility' | 'worker' | 'child';

function hostChannel(): HostChannel & { kind: Kind } {
  const utility = (process as NodeJS.Process & { parentPort?: UtilityParentPort }).parentPort;
  if (utility) {
    return {
      kind: 'utility',
      postMessage: (m) => utility.postMessage(m),
      onMessage: (listener) => utility.on('message', (e) => listener(e.data as ToEngine)),
      // A utility process lives until it exits; a moment first, so the last answer reaches the host.
      close: () => void setTimeout(() => process.exit(0), 200),
    };
  }
  if (!isMainThread && workerPort) {
    const port = workerPort;
    return { kind: 'worker', postMessage: (m) => port.postMessage(m), onMessage: (listener) => port.on('message', listener), close: () => port.close() };
  }
  if (process.send) {
    return {
      kind: 'child',
      postMessage: (m) => void process.send?.(m),
      onMessage: (listener) => process.on('message', (m) => listener(m as ToEngine)),
      close: () => (process.connected ? process.disconnect() : undefined),
    };
  }
  throw new Error('The engine process is started by a host (an Electron utility process, child_process.fork or a worker thread), not on its own.');
}

const channel = hostChannel();
const served = serveEngine({
  ...channel,
  close() {
    channel.close();
    // Whatever still holds the process (the stop's grace timer, a keep-alive socket) does not keep a stopped engine
    // alive; the moment lets the last answer leave. Log lines are flushed on exit.
    setTimeout(() => process.exit(0), 250).unref();
  },
});

if (channel.kind === 'child') {
  // A Ctrl+C in a terminal reaches every process of the group: the host decides when the engine stops, and asks.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => void served.stop());
  // The host went away without asking (it was killed): stop between writes, then end.
  process.on('disconnect', () => void served.stop());
}
