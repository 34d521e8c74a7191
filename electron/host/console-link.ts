import { rmSync } from 'node:fs';
import path from 'node:path';
import { writePrivateFile } from '../engine';

/** Where a host that is not in a terminal keeps the console's link with its token, in the data folder. */
export const CONSOLE_LINK_FILE = 'console-link.txt';

export interface LinkOutput {
  /** Whether a person is reading (an interactive terminal), rather than a service manager's log. */
  isTTY: boolean;
  write(line: string): void;
}

const stdout: LinkOutput = { isTTY: process.stdout.isTTY === true, write: (line) => process.stdout.write(`${line}\n`) };

/**
 * Tells whoever started the host how to open the console. The link carries the run's token, which is all it takes
 * to drive the console, so it is printed only to an interactive terminal; under a service manager (stdout a pipe or
 * a file, kept in a log others may read) it goes to a file in the data folder readable by this user only, and the
 * line printed names the file and the address without the token. The file goes when the host stops.
 */
export function announceConsole(
  server: { url: string; consoleUrl: string },
  dataDir: string,
  options: { prefix?: string; out?: LinkOutput } = {},
): { file: string | null; remove(): void } {
  const out = options.out ?? stdout;
  const prefix = options.prefix ?? '';
  if (out.isTTY) {
    out.write(`${prefix}Console: ${server.consoleUrl}`);
    return { file: null, remove: () => undefined };
  }
  const file = path.join(dataDir, CONSOLE_LINK_FILE);
  writePrivateFile(file, `${server.consoleUrl}\n`);
  out.write(`${prefix}Console: ${server.url}/ — open the link in ${file} (it carries the access token; readable by this user only)`);
  return { file, remove: () => rmSync(file, { force: true }) };
}
