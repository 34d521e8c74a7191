import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { OrdersEngineOptions } from './engine-factory';

const here = import.meta.dirname;

export interface EngineProcess {
  child: ChildProcess;
  /** Resolves when the engine has started its first run. */
  running: Promise<void>;
  exited: Promise<number | null>;
  output: string[];
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Which engine the child runs: the orders engine by default; another test's script and the variable it reads its options from. */
export interface EngineChild {
  script: string;
  env: string;
}
const ORDERS_CHILD: EngineChild = { script: path.join(here, 'engine-child.ts'), env: 'ORDERS_ENGINE' };

/** Starts the orders engine (or another) in a child process (node with tsx's loader, so a kill reaches the engine itself), against emulators running in the test process. */
export function startEngineProcess(options: OrdersEngineOptions | object, child_: EngineChild = ORDERS_CHILD): EngineProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', child_.script], {
    env: { ...process.env, [child_.env]: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let onRun: () => void = () => undefined;
  const running = new Promise<void>((resolve) => (onRun = resolve));
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter(Boolean)) {
      output.push(line);
      if (line === 'run') onRun();
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(`stderr: ${chunk}`));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    running,
    exited,
    output,
    async kill(signal = 'SIGKILL') {
      child.kill(signal);
      return exited;
    },
  };
}
