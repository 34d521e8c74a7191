import { statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config';
import { startHost } from './run-host';
import { announceConsole } from './console-link';
import { formatStatus } from './status-report';
import { waitForSignal } from './signals';
import {
  backupFileName,
  backupLedgerFile,
  BackupError,
  fetchPresentedCertificate,
  ledgerRuntimeProblem,
  restoreLedger,
  RestoreError,
  statusReport,
  UnsupportedRuntimeError,
} from '../engine';

const USAGE = `Usage:
  npm run engine -- --config <file> [--data-dir <dir>] [--once]   run the engine (on timers, or each enabled flow once)
  npm run engine -- status --config <file> [--data-dir <dir>] [--json]
  npm run engine -- certificate --config <file>                    show the certificate SAP presents, to pin it
  npm run engine -- settlement --config <file> [--cycle <id>] [--month YYYY-MM] [--json] [--export <file.xlsx|file.csv>]
                                                                   reconcile payouts: each cycle's tie-out, totals and variances
  npm run engine -- backup --config <file> --to <folder or file>  copy the ledger (the engine may be running), checked before done
  npm run engine -- restore --config <file> --from <backup>       put a backup in place of the ledger (engine stopped); the ledger
                                                                   it replaces is kept beside it, renamed
  npm run sandbox [-- --port <n>]                                    emulators + demo data + engine + console`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      once: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      port: { type: 'string' },
      cycle: { type: 'string' },
      month: { type: 'string' },
      export: { type: 'string' },
      to: { type: 'string' },
      from: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const command = positionals[0] ?? 'run';
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  // Every command but `certificate` opens the ledger: refuse a Node.js that would crash loading it, in one line.
  const runtimeProblem = command === 'certificate' ? null : ledgerRuntimeProblem();
  if (runtimeProblem) {
    console.error(runtimeProblem);
    return 3;
  }
  if (command === 'sandbox') {
    const { runSandbox } = await import('./sandbox');
    return runSandbox({ port: values.port ? Number(values.port) : 0 });
  }
  if (!values.config) {
    console.error(`--config <file> is required.\n${USAGE}`);
    return 2;
  }
  const config = loadConfig(values.config, values['data-dir'] ? { dataDir: values['data-dir'] } : {});

  if (command === 'status') {
    const report = statusReport(config.dataDir);
    console.log(values.json ? JSON.stringify(report, null, 2) : formatStatus(report));
    return 0;
  }
  if (command === 'backup') {
    if (!values.to) {
      console.error(`backup needs --to <folder or file>.\n${USAGE}`);
      return 2;
    }
    // Into a folder (one that exists, or a path ending in a separator): a file named for the time, as the engine's daily backups are.
    const intoFolder = isFolder(values.to) || /[\\/]$/.test(values.to);
    const to = intoFolder ? path.resolve(values.to, backupFileName(new Date())) : path.resolve(values.to);
    const result = await backupLedgerFile(path.join(config.dataDir, 'ledger.db'), to);
    console.log(
      `Backed up the ledger to ${result.file}: ${megabytes(result.bytes)} MB in ${result.ms} ms (copy ${result.copyMs} ms, integrity check ${result.checkMs} ms: ok).`,
    );
    return 0;
  }
  if (command === 'restore') {
    if (!values.from) {
      console.error(`restore needs --from <backup file>.\n${USAGE}`);
      return 2;
    }
    const ledgerFile = path.join(config.dataDir, 'ledger.db');
    const result = restoreLedger(ledgerFile, path.resolve(values.from), new Date());
    console.log(`Checked ${result.backup}: integrity check ok, ledger version ${result.backupVersion}.`);
    console.log(
      result.keptAside.length ? `The ledger it replaces is kept as ${result.keptAside.join(' and ')}.` : `There was no ledger at ${ledgerFile} to keep aside.`,
    );
    console.log(
      `Restored ${ledgerFile} (version ${result.version}) in ${result.ms} ms. Start the engine again: it goes on from the time of the backup, and finds in SAP and on the marketplace what it did since before writing anything again (docs/ledger.md).`,
    );
    return 0;
  }
  if (command === 'certificate') {
    if (!config.settings.sap) throw new ConfigError('settings.sap is not set in the configuration file');
    const url = new URL(config.settings.sap.baseUrl);
    const presented = await fetchPresentedCertificate(url.hostname, Number(url.port || 443));
    console.log(
      `SAP at ${url.host} presents:\n  subject  ${presented.subject}\n  issuer   ${presented.issuer}\n  valid    ${presented.validFrom} – ${presented.validTo}\n  SHA-256  ${presented.sha256}`,
    );
    console.log("\nCompare the fingerprint with the SAP server's certificate before trusting it. To trust it, set settings.sap.pinnedCertificate to:");
    console.log(JSON.stringify({ sha256: presented.sha256, pem: presented.pem }));
    return 0;
  }
  if (command === 'settlement') {
    const host = await startHost({ config, serveConsole: false });
    try {
      const { runSettlement } = await import('./settlement-report');
      return await runSettlement(host.engine, {
        json: values.json,
        ...(values.cycle ? { cycleId: values.cycle } : {}),
        ...(values.month ? { month: values.month } : {}),
        ...(values.export ? { exportFile: values.export } : {}),
      });
    } finally {
      await host.stop();
    }
  }
  if (command !== 'run') {
    console.error(`Unknown command ${command}.\n${USAGE}`);
    return 2;
  }

  const host = await startHost({ config, serveConsole: !values.once });
  if (values.once) {
    const summaries = await host.engine.runOnce();
    await host.stop();
    for (const s of summaries) console.log(`${s.flow.padEnd(10)} ${s.outcome.padEnd(10)} ${JSON.stringify(s.counts)}${s.error ? `  ${s.error}` : ''}`);
    const failed = summaries.filter((s) => s.outcome !== 'succeeded');
    console.log(
      failed.length
        ? `${failed.length} of ${summaries.length} flows failed: ${failed.map((f) => f.flow).join(', ')}`
        : `All ${summaries.length} flows succeeded.`,
    );
    return failed.length ? 1 : 0;
  }
  await host.engine.start();
  const link = announceConsole(host.server!, config.dataDir, { prefix: 'Engine running. ' });
  console.log(`Ledger and logs: ${config.dataDir}`);
  const lost = await Promise.race([waitForSignal().then(() => null), host.engineLost.then((code) => ({ code }))]);
  link.remove();
  if (lost) {
    // The service manager restarts the host; the ledger resolves what the engine left half done.
    console.error(`The engine process ended unexpectedly (exit code ${lost.code}); see ${config.log.file} in ${config.dataDir}. Stopping.`);
    await host.stop();
    return 1;
  }
  console.log('Stopping: letting runs in flight finish…');
  await host.stop();
  return 0;
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

const megabytes = (bytes: number) => (bytes / 1_048_576).toFixed(1);

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // The engine's refusal of a damaged ledger arrives from its process by name: its message is the whole story.
    const damaged = error instanceof Error && error.name === 'LedgerDamagedError';
    const plain =
      error instanceof ConfigError || error instanceof UnsupportedRuntimeError || error instanceof BackupError || error instanceof RestoreError || damaged;
    console.error(plain ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(error instanceof ConfigError ? 2 : error instanceof UnsupportedRuntimeError ? 3 : damaged ? 4 : 1);
  },
);
