import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = path.resolve(import.meta.dirname, '../support/log-to-full-disk.ts');

describe('the engine’s log on a full disk', () => {
  it('a log file that cannot be written neither ends the engine nor keeps it from exiting', { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    clearTimeout(timer);
    expect(out).toContain('still running');
    expect(out).not.toMatch(/ENOSPC/);
    expect(code).toBe(0);
  });
});
