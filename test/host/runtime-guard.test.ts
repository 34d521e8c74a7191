import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { ledgerRuntimeProblem } from '../../electron/engine/ledger/runtime';
import { tempDir } from '../support/ports';

/**
 * Run outside npm, the machine's own Node.js (Debian's Node 20: Node-API 9) crashed with a segmentation fault
 * loading the ledger's SQLite module. Each entry point that opens the ledger now refuses such a Node in one line.
 * The older Node is played by this Node with `process.versions.napi` set to 9 before anything loads.
 */
describe('entry points on a Node.js the ledger cannot load', () => {
  const tmp = tempDir('runtime-');
  afterAll(() => tmp.cleanup());
  const olderNode = tmp.file('node-api-9.mjs');
  writeFileSync(olderNode, "Object.defineProperty(process.versions, 'napi', { value: '9' });\n");

  function run(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, ['--import', olderNode, '--import', 'tsx', script, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
    });
  }

  it('the engine CLI (sandbox, run, status) and the benchmark runner refuse with one line instead of crashing', async () => {
    const config = tmp.file('engine.json');
    writeFileSync(config, JSON.stringify({ dataDir: './data' }));
    const runs = [
      await run('electron/host/cli.ts', ['sandbox']),
      await run('electron/host/cli.ts', ['--config', config, '--once']),
      await run('electron/host/cli.ts', ['status', '--config', config]),
      await run('bench/run.ts', ['stock']),
    ];
    for (const r of runs) {
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^Node\.js \S+ \(Node-API 9\) cannot load the ledger's SQLite module \(better-sqlite3 13 needs Node-API 10, Node\.js 22\.14 or newer\): start it with npm/,
        ),
      ]);
    }
    expect(existsSync(tmp.file('data/ledger.db'))).toBe(false);
  });

  it('says nothing on a Node.js that has Node-API 10 (the project’s Node 24)', () => {
    expect(ledgerRuntimeProblem({ node: '24.21.0', napi: '10' })).toBeNull();
    expect(ledgerRuntimeProblem({ node: '20.20.2', napi: '9' })).toMatch(/^Node\.js 20\.20\.2 \(Node-API 9\) cannot load/);
  });
});
