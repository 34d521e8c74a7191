import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { announceConsole } from '../../electron/host/console-link';
import { tempDir } from '../support/ports';

const server = { url: 'http://127.0.0.1:8400', consoleUrl: 'http://127.0.0.1:8400/?token=s3cr3t-t0ken-of-this-run' };

describe('the console link (it carries the token that drives the console)', () => {
  it('is printed whole to an interactive terminal, and no file is written', () => {
    const tmp = tempDir('link-tty-');
    const lines: string[] = [];
    const link = announceConsole(server, tmp.dir, { out: { isTTY: true, write: (l) => lines.push(l) } });
    expect(lines).toEqual(['Console: http://127.0.0.1:8400/?token=s3cr3t-t0ken-of-this-run']);
    expect(link.file).toBeNull();
    tmp.cleanup();
  });

  it('goes to a file of its user only when stdout is a log (a pipe, a service), the line naming the file without the token', () => {
    const tmp = tempDir('link-pipe-');
    const lines: string[] = [];
    const link = announceConsole(server, tmp.dir, { prefix: 'Engine running. ', out: { isTTY: false, write: (l) => lines.push(l) } });
    expect(lines).toEqual([
      `Engine running. Console: http://127.0.0.1:8400/ — open the link in ${link.file} (it carries the access token; readable by this user only)`,
    ]);
    expect(lines.join('\n')).not.toContain('s3cr3t');
    expect(readFileSync(link.file!, 'utf8')).toBe(`${server.consoleUrl}\n`);
    if (process.platform !== 'win32') expect(statSync(link.file!).mode & 0o777).toBe(0o600);
    link.remove();
    expect(existsSync(link.file!)).toBe(false);
    tmp.cleanup();
  });
});
