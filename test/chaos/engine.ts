import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ENGINE_HEAP_FLAGS, type EngineProcess, type HostPorts } from '../../electron/engine';
import { connectEngineProcess, type EngineChannel } from '../../electron/engine/process/client';
import { CLOCK_OFFSET_VARIABLE, DISK_FULL_VARIABLE, FULL_STACKS_VARIABLE, type ChaosControl } from './engine-controls';

const ENTRY = fileURLToPath(new URL('./engine-entry.ts', import.meta.url));
const FLOWS = fileURLToPath(new URL('./flows.ts', import.meta.url));
const FULL_DISK_SOURCE = fileURLToPath(new URL('./full-disk.c', import.meta.url));
const OUT = fileURLToPath(new URL('../../out/chaos-engine/', import.meta.url));

/** The engine process's code: its entry and the flows module it loads, and the full-disk library when it could be built. */
export interface EngineBuild {
  entry: string;
  flows: string;
  /** full-disk.c built (LD_PRELOAD): every write in the data folder fails with ENOSPC while the disk is full; null without a C compiler. */
  fullDisk: string | null;
  remove(): void;
}

/** Builds full-disk.c with the system's C compiler; null when there is none (the disk then fills by max_page_count alone). */
function buildFullDisk(outdir: string): string | null {
  const library = path.join(outdir, 'full-disk.so');
  try {
    execFileSync('cc', ['-shared', '-fPIC', '-O2', '-o', library, FULL_DISK_SOURCE, '-ldl'], { stdio: 'pipe' });
    return library;
  } catch {
    return null;
  }
}

/**
 * Bundles the engine process once per run (esbuild, as the desktop build bundles the utility process), so each of a
 * run's hundreds of restarts loads one file in a few hundred milliseconds instead of compiling TypeScript again. The
 * bundle lives under out/ (beside node_modules, where its native SQLite module is found), one folder per run.
 */
export async function buildEngine(): Promise<EngineBuild> {
  const outdir = path.join(OUT, `run-${process.pid}-${Date.now()}`);
  await build({
    entryPoints: { 'engine-entry': ENTRY, flows: FLOWS },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    outdir,
    outExtension: { '.js': '.mjs' },
    external: ['better-sqlite3'],
    logLevel: 'warning',
    // CommonJS dependencies inside an ES module bundle still call require.
    banner: { js: "import { createRequire as chaosRequire } from 'node:module'; const require = chaosRequire(import.meta.url);" },
  });
  return {
    entry: path.join(outdir, 'engine-entry.mjs'),
    flows: path.join(outdir, 'flows.mjs'),
    fullDisk: buildFullDisk(outdir),
    remove: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

export interface ChaosEngine {
  client: EngineProcess;
  pid: number;
  /** SIGKILL: the process ends wherever it is, mid-write or not; resolves when it has gone. */
  kill(): Promise<void>;
  /** Tells the running process of a clock jump or a change of disk space (a process started later is told at start). */
  control(message: ChaosControl): void;
  /** The last lines the process wrote to stderr (for a report). */
  stderr(): string;
}

/**
 * Starts the engine the way the headless host does (child_process.fork of the engine-process module, the host's
 * settings, secrets and notifications behind the port), keeping hold of the child so the harness can kill it and
 * move its clock.
 */
export async function startChaosEngine(input: {
  build: EngineBuild;
  ledgerFile: string;
  logFile: string;
  host: HostPorts;
  clockOffsetMs: number;
  diskFull: boolean;
  /**
   * The disk: the folder the ledger and log are in, full while the flag file exists. A line goes into `refusedMarker`
   * for each ledger write refused (when, which process), and into `fullStacks` where the engine's write came from.
   */
  disk: { dir: string; fullFlag: string; refusedMarker?: string; fullStacks?: string };
}): Promise<ChaosEngine> {
  const fullDisk = input.build.fullDisk
    ? {
        LD_PRELOAD: input.build.fullDisk,
        CHAOS_DISK_DIR: input.disk.dir,
        CHAOS_DISK_FULL_FLAG: input.disk.fullFlag,
        CHAOS_LEDGER_FILE: input.ledgerFile,
        ...(input.disk.refusedMarker ? { CHAOS_DISK_REFUSED_MARKER: input.disk.refusedMarker } : {}),
        ...(input.disk.fullStacks ? { [FULL_STACKS_VARIABLE]: input.disk.fullStacks } : {}),
      }
    : {};
  const child: ChildProcess = fork(input.build.entry, [], {
    execArgv: [...ENGINE_HEAP_FLAGS],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, ...fullDisk, [CLOCK_OFFSET_VARIABLE]: String(input.clockOffsetMs), [DISK_FULL_VARIABLE]: input.diskFull ? '1' : '0' },
  });
  // A message sent as the process dies fails with EPIPE: the process's end is what matters, and that is seen on exit.
  child.on('error', () => undefined);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
    if (process.env.CHAOS_DEBUG) process.stderr.write(chunk);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const channel: EngineChannel = {
    postMessage(message) {
      if (child.connected) child.send(message, () => undefined);
    },
    onMessage: (listener) => void child.on('message', (m) => listener(m as never)),
    onExit: (listener) => void child.once('exit', (code) => listener(code)),
    kill: () => void child.kill('SIGKILL'),
    pid: child.pid,
  };
  const client = await connectEngineProcess(
    channel,
    { ledgerFile: input.ledgerFile, log: { level: 'info', file: input.logFile }, flows: { module: input.build.flows } },
    input.host,
  );
  return {
    client,
    pid: child.pid!,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    control(message) {
      if (child.connected) child.send(message, () => undefined);
    },
    stderr: () => stderr,
  };
}
