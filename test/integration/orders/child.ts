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

/** Starts the orders engine in a child process (node with tsx's loader, so a kill reaches the engine itself), against emulators running in the test process. */
export function startEngineProcess(options: OrdersEngineOptions): EngineProcess {
  return startChildEngine(path.join(here, 'engine-child.ts'), 'ORDERS_ENGINE', options);
}

/** Starts an engine script in a child process, its options as JSON in an environment variable; it prints `run` as each run starts. */
export function startChildEngine(script: string, optionsVariable: string, options: unknown): EngineProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, [optionsVariable]: JSON.stringify(options) },
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
