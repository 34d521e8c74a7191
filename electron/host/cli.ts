import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config';
import { startHost } from './run-host';
import { announceConsole } from './console-link';
import { formatStatus } from './status-report';
import { waitForSignal } from './signals';
import { fetchPresentedCertificate, ledgerRuntimeProblem, statusReport, UnsupportedRuntimeError } from '../engine';

const USAGE = `Usage:
  npm run engine -- --config <file> [--data-dir <dir>] [--once]   run the engine (on timers, or each enabled flow once)
  npm run engine -- status --config <file> [--data-dir <dir>] [--json]
  npm run engine -- certificate --config <file>                    show the certificate SAP presents, to pin it
  npm run engine -- settlement --config <file> [--cycle <id>] [--month YYYY-MM] [--json] [--export <file.xlsx|file.csv>]
                                                                   reconcile payouts: each cycle's tie-out, totals and variances
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const plain = error instanceof ConfigError || error instanceof UnsupportedRuntimeError;
    console.error(plain ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(error instanceof ConfigError ? 2 : error instanceof UnsupportedRuntimeError ? 3 : 1);
  },
);
