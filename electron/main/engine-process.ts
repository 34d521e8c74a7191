import { utilityProcess } from 'electron';
import { belowNormalPriority, ENGINE_HEAP_FLAGS, type EngineChannel, type Logger, type ToEngine } from '../engine';

/**
 * The engine in an Electron utility process: the port the shell talks the contract over. Messages wait until the
 * process has spawned, so the first (init) is never lost. The engine runs below normal priority, so the window
 * gets the CPU first.
 */
export function forkEngineProcess(modulePath: string, logger: Logger): EngineChannel {
  const child = utilityProcess.fork(modulePath, [], { serviceName: 'Marketplace Console engine', stdio: 'inherit', execArgv: [...ENGINE_HEAP_FLAGS] });
  let queued: ToEngine[] | null = [];
  child.once('spawn', () => {
    belowNormalPriority(child.pid, { logger });
    for (const message of queued ?? []) child.postMessage(message);
    queued = null;
  });
  return {
    postMessage: (message) => (queued ? void queued.push(message) : child.postMessage(message)),
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => void child.once('exit', listener),
    kill: () => void child.kill(),
    get pid() {
      return child.pid;
    },
  };
}
