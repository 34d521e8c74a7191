import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { memoryLogger } from '../../electron/engine/logging';
import { startEngineProcess } from '../../electron/engine/process/node';
import { CLOSE_CODES, CONSOLE_LIMITS } from '../../electron/host/console-access';
import { ELECTRON_SECURITY_CHECKLIST } from '../../electron/main/security-checklist';
import { SettingsSchema } from '../../shared/domain/settings';
import { writeReliabilitySection } from './doc-sections';
import { runSecretsScan, type SecretsScanResult } from './secrets-scan';

/**
 * `npm run reliability:security`: runs the secrets scan, reads the modes of what the headless host and the engine
 * process write, and writes docs/reliability.md's `security` section with them, the headless host's limits and the
 * Electron checklist with the code that enforces each item. The figures come from this run; nothing is typed.
 */

/** Table cell text: a pipe would end the cell, and <webview> or <meta> would be read as HTML. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

/** The desktop app's layout (profile/ledger.db, profile/logs/engine.log) written by the engine process alone. */
async function engineProcessModes(): Promise<Record<string, string>> {
  const work = mkdtempSync(path.join(tmpdir(), 'modes-engine-'));
  const profile = path.join(work, 'profile');
  const engine = await startEngineProcess(
    { ledgerFile: path.join(profile, 'ledger.db'), log: { level: 'info', file: path.join(profile, 'logs', 'engine.log') } },
    {
      settings: { get: () => SettingsSchema.parse({}), update: async () => SettingsSchema.parse({}) },
      secrets: { get: async () => undefined, set: async () => undefined, delete: async () => undefined },
      notifier: { notify: () => undefined },
      logger: memoryLogger(),
    },
  );
  try {
    await engine.status();
    return {
      '.': mode(profile),
      'ledger.db': mode(path.join(profile, 'ledger.db')),
      'ledger.db-wal': mode(path.join(profile, 'ledger.db-wal')),
      'ledger.db-shm': mode(path.join(profile, 'ledger.db-shm')),
      logs: mode(path.join(profile, 'logs')),
      'logs/engine.log': mode(path.join(profile, 'logs', 'engine.log')),
    };
  } finally {
    await engine.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

export function securitySection(scan: SecretsScanResult, engineModes: Record<string, string>, when: Date): string {
  const date = when.toISOString().slice(0, 10);
  const totalBytes = scan.scanned.reduce((sum, s) => sum + s.bytes, 0);
  const secretNames = Object.entries(scan.secrets)
    .map(([name, count]) => (count === 1 ? name : `${name} (${count} values)`))
    .join(', ');
  const modeRows = (modes: Record<string, string>) =>
    Object.entries(modes)
      .map(([file, m]) => `\`${file === '.' ? 'the folder' : file}\` ${m}`)
      .join(', ');
  const posix = process.platform !== 'win32';
  return [
    `Written by \`npm run reliability:security\` (${date}, ${process.platform}).`,
    '',
    '### Secrets scan',
    '',
    `The headless host as IT runs it (\`npm run engine -- --config …\`, its secrets in environment variables) against the emulators, with secrets no other text could contain, driven from a console over its WebSocket: connection tests (one with a mistyped password), both connections saved again with their secrets, every flow run (${scan.activity.flowRuns} runs), SAP sessions expired under it, a proxy's 502 from SAP and 500 and 401 from the marketplace; the log at debug level. Then every byte below was searched for each secret — ${secretNames} — in ${scan.forms.length} encodings (${scan.forms.join(', ')}).`,
    '',
    '| where | files | bytes | hits |',
    '|---|---|---|---|',
    ...scan.scanned.map((s) => `| ${s.place} | ${s.files} | ${kb(s.bytes)} | ${scan.hits.filter((h) => h.place.startsWith(s.place)).length} |`),
    `| **all** | ${scan.scanned.reduce((n, s) => n + s.files, 0)} | ${kb(totalBytes)} | **${scan.hits.length}** |`,
    '',
    scan.hits.length === 0
      ? `**${scan.hits.length} hits.** The files: ${scan.activity.files.map((f) => `\`${f}\``).join(', ')}. The run logged in to SAP ${scan.activity.sapLogins} times, made ${scan.activity.marketplaceCalls} marketplace calls, and the console sent ${scan.activity.consoleRequests} requests and received ${scan.activity.consoleFramesReceived} messages.`
      : `**${scan.hits.length} hits**: ${scan.hits.map((h) => `${h.secret} (${h.form}) in ${h.place}`).join('; ')}.`,
    `The search checked against this run's own bytes: what the console sent (${kb(scan.control.bytes)}, the operator typing into its forms) holds ${scan.control.found.join(', ') || 'nothing'} — found, as it must be.`,
    '',
    '### Files: readable by their user only',
    '',
    posix
      ? `Modes found, with the process's umask at its default: the headless host's data folder — ${modeRows(scan.modes)}; the engine process on its own (the desktop app's layout) — ${modeRows(engineModes)}. Set whatever the umask (test/host/file-modes.test.ts runs with umask 000), and set right at start-up for files an earlier version left 0644. On Windows the data folder is in the user's profile, whose access list already keeps other users out.`
      : 'Not measured on Windows (no POSIX modes): the data folder is in the user’s profile, whose access list keeps other users out.',
    '',
    '### The headless host',
    '',
    '| rule | value | when broken |',
    '|---|---|---|',
    '| address | 127.0.0.1 unless `console.address` is set; another address is said on stderr and in the log at every start | — |',
    '| token | a fresh one each start, on every request (the page keeps it in an HttpOnly SameSite=Strict cookie for its own files) and every WebSocket (in the link only) | HTTP 401; WebSocket with a stale token: close 4401 |',
    '| Host and Origin | only this console’s own names (no DNS rebinding) and pages (no other site’s) | HTTP 403 |',
    `| message size | ${kb(CONSOLE_LIMITS.maxMessageBytes)} | close ${CLOSE_CODES.messageTooBig} |`,
    `| message rate | a burst of ${CONSOLE_LIMITS.burstMessages}, then ${CONSOLE_LIMITS.messagesPerSecond} a second, per connection | close ${CLOSE_CODES.tooManyMessages} |`,
    `| connections | ${CONSOLE_LIMITS.maxConnections} at once | close ${CLOSE_CODES.tooManyConnections} |`,
    '| the console link | printed only to a terminal; otherwise `console-link.txt` in the data folder (0600), named on stdout without the token | — |',
    '',
    '### TLS to SAP',
    '',
    'A server in SAP’s place that records every byte sent to it receives none — no Login, no password — when its certificate is not the pinned one, even when the pinned certificate issued it; pinned to its own certificate it receives the login (test/integration/sap-b1/tls-pin-before-password.test.ts).',
    '',
    '### The Electron shell: the security checklist',
    '',
    `Electron’s [checklist](https://www.electronjs.org/docs/latest/tutorial/security), item by item, with the code that enforces each (electron/main/security-checklist.ts; test/shell/electron-security.test.ts checks each reference is in its file).`,
    '',
    '| # | recommendation | how | code |',
    '|---|---|---|---|',
    ...ELECTRON_SECURITY_CHECKLIST.map(
      (i) => `| ${i.item} | ${cell(i.recommendation)} | ${cell(i.how)} | ${i.code.map((c) => `\`${c.replace(/\|/g, '\\|')}\``).join('<br>')} |`,
    ),
  ].join('\n');
}

async function main(): Promise<number> {
  const scan = await runSecretsScan({ log: (line) => console.error(line) });
  const engineModes = process.platform === 'win32' ? {} : await engineProcessModes();
  const markdown = securitySection(scan, engineModes, new Date());
  await writeReliabilitySection('security', markdown);
  console.log(markdown);
  console.log(`\ndocs/reliability.md: security section written (${scan.hits.length} hits).`);
  return scan.hits.length === 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main().then((code) => process.exit(code));
