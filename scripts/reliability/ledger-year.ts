/**
 * npm run reliability:ledger-year: a simulated year of trade against a ledger of its own (ledger-year-sim.ts), then
 * on that ledger the engine's daily backup, the CLI's backup and the way back from a damaged ledger, timed; the figures
 * go into docs/reliability.md's `ledger` section (writeReliabilitySection). LEDGER_YEAR_DAYS, LEDGER_YEAR_ORDERS_PER_DAY,
 * LEDGER_YEAR_SKUS and LEDGER_YEAR_FULL_DAYS make smaller runs; LEDGER_YEAR_WRITE=0 prints the section without writing it.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { createLedger } from '../../electron/engine/ledger';
import { backupLedger, backupLedgerFile, PAGES_PER_STEP, restoreLedger } from '../../electron/engine/ledger/backup';
import { openLedger } from '../../electron/engine/ledger/db';
import { LedgerDamagedError } from '../../electron/engine/ledger/integrity';
import { ledgerRuntimeProblem } from '../../electron/engine/ledger/runtime';
import { pruneLedger, RETENTION } from '../../electron/engine/ledger/retention';
import { DEFAULT_RETENTION_SETTINGS } from '../../shared/domain/retention';
import { DEFAULT_BACKUP_SETTINGS } from '../../shared/domain/ledger-backup';
import { writeReliabilitySection } from './doc-sections';
import { DEFAULT_YEAR, simulateYear, size, type YearOptions } from './ledger-year-sim';

const MB = 1_048_576;
const mb = (bytes: number) => (bytes / MB).toFixed(1);
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const thousands = (n: number) => n.toLocaleString('en-GB');

/** The ledger's tables with their indexes, largest first (SQLite's dbstat: pages each b-tree holds). */
function tableSizes(file: string): { table: string; bytes: number; rows: number }[] {
  const db = new Database(file, { readonly: true });
  try {
    const owner = new Map(
      (db.prepare("SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table','index')").all() as { name: string; tbl_name: string }[]).map((r) => [
        r.name,
        r.tbl_name,
      ]),
    );
    const bytes = new Map<string, number>();
    for (const r of db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as { name: string; bytes: number }[]) {
      const table = owner.get(r.name) ?? r.name;
      bytes.set(table, (bytes.get(table) ?? 0) + r.bytes);
    }
    return [...bytes]
      .map(([table, b]) => ({ table, bytes: b, rows: db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number }))
      .sort((a, b) => b.bytes - a.bytes);
  } finally {
    db.close();
  }
}

/** A failing disk's kind of damage: the first page of the orders table's b-tree overwritten. */
function damage(file: string): void {
  const db = new Database(file, { readonly: true });
  const root = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'marketplace_orders'").pluck().get() as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(512, 0xa5), 0, 512, (root - 1) * pageSize);
  closeSync(fd);
}

const orderCount = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM marketplace_orders').pluck().get() as number;
  } finally {
    db.close();
  }
};

async function main(): Promise<void> {
  const problem = ledgerRuntimeProblem();
  if (problem) throw new Error(problem);
  const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  const options: YearOptions = {
    ...DEFAULT_YEAR,
    days: env('LEDGER_YEAR_DAYS', DEFAULT_YEAR.days),
    ordersPerDay: env('LEDGER_YEAR_ORDERS_PER_DAY', DEFAULT_YEAR.ordersPerDay),
    skus: env('LEDGER_YEAR_SKUS', DEFAULT_YEAR.skus),
    fullDays: env('LEDGER_YEAR_FULL_DAYS', DEFAULT_YEAR.fullDays),
  };
  console.log(`A simulated year: ${options.days} days, ${options.ordersPerDay} orders a day, ${options.skus} SKUs…`);
  const year = await simulateYear(options, (line) => console.log(line));
  const { file, dir } = year;
  try {
    const dbBytes = size(file);
    const walBytes = size(`${file}-wal`);
    const tables = tableSizes(file);
    const pages = (() => {
      const db = new Database(file, { readonly: true });
      const r = { count: db.pragma('page_count', { simple: true }) as number, free: db.pragma('freelist_count', { simple: true }) as number };
      db.close();
      return r;
    })();
    console.log(`Ledger after ${options.days} days: ${mb(dbBytes)} MB (+ WAL ${mb(walBytes)} MB), ${year.wallSeconds} s`);

    // The engine's start-up check (quick_check) and migrations, as the engine opens it.
    let t = performance.now();
    openLedger(file).close();
    const openMs = performance.now() - t;

    // A step of the engine's maintenance on that ledger, everything already pruned: what a step costs at this size.
    const pruning = openLedger(file);
    t = performance.now();
    pruneLedger(pruning, new Date(year.endMs));
    const pruneMs = performance.now() - t;
    pruning.close();

    // The engine's daily backup: page steps on the engine's connection, the check on a worker thread; how long the
    // engine's thread was held at most meanwhile.
    const ledger = createLedger(file);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const daily = await backupLedger(ledger.db, path.join(dir, 'backups', 'ledger-daily.db'), { pagesPerStep: PAGES_PER_STEP, checkOffThread: true });
    delay.disable();
    const heldMs = delay.max / 1e6;
    ledger.close();
    console.log(`Engine's backup: ${mb(daily.bytes)} MB, copy ${daily.copyMs} ms, check ${daily.checkMs} ms, thread held at most ${heldMs.toFixed(0)} ms`);

    // The CLI's backup (one read, the check on its own thread).
    const cli = await backupLedgerFile(file, path.join(dir, 'backups', 'ledger-cli.db'));
    console.log(`CLI backup: ${cli.ms} ms`);

    // The way back: the ledger damaged, refused at start, the backup restored, the engine opens it with every order.
    const orders = orderCount(file);
    damage(file);
    t = performance.now();
    let refused = false;
    try {
      openLedger(file).close();
    } catch (error) {
      refused = error instanceof LedgerDamagedError;
    }
    const refuseMs = performance.now() - t;
    if (!refused) throw new Error('The damaged ledger was not refused at start');
    t = performance.now();
    const restored = restoreLedger(file, daily.file, new Date());
    openLedger(file).close();
    const roundTripMs = performance.now() - t;
    const ordersBack = orderCount(file);
    if (ordersBack !== orders) throw new Error(`The restored ledger has ${ordersBack} orders, not ${orders}`);
    console.log(`Restore: ${restored.ms} ms (with the engine's next open: ${roundTripMs.toFixed(0)} ms), ${thousands(ordersBack)} orders back`);

    const full = options.days - options.fullDays;
    const top = tables.slice(0, 8);
    const rest = tables.slice(8).reduce((n, x) => n + x.bytes, 0);
    const markdown = [
      `Measured by \`npm run reliability:ledger-year\` (scripts/reliability/ledger-year.ts) on ${new Date().toISOString().slice(0, 10)}: ${Math.round(year.wallSeconds / 60)} min for the year here (2 cores shared with other work).`,
      '',
      '### After a simulated year',
      '',
      `${options.days} days at ${thousands(options.ordersPerDay)} orders a day (two lines each), ${thousands(options.skus)} SKUs in ${options.warehouses} warehouses, 1,000 SKUs changing every stock cycle (every 2 minutes), one order in ${options.returnEvery} returned and refunded, a billing cycle on the 1st and the 16th, with the retention this version ships (runs, timelines and stock-upload samples ${DEFAULT_RETENTION_SETTINGS.runsDays} days, upload rows ${DEFAULT_RETENTION_SETTINGS.stockUploadRowsDays} days, settled writes ${RETENTION.intentsDays} days, payouts ${RETENTION.settlementDays} days, the marketplace's record of an order ${RETENTION.orderRecordsDays} days after it last changed).`,
      '',
      '| | |',
      '|---|---|',
      `| ledger file | **${mb(dbBytes)} MB** (write-ahead log ${mb(walBytes)} MB; ${thousands(pages.free)} of ${thousands(pages.count)} pages free for reuse) |`,
      `| orders | ${thousands(year.counts.orders ?? 0)} (${thousands(year.counts.invoices ?? 0)} invoiced, ${thousands(year.counts.returns ?? 0)} returns, ${thousands(year.counts.refunds ?? 0)} refunds) |`,
      `| payout lines read | ${thousands(year.counts.settlementLines ?? 0)} in ${year.counts.billingCycles ?? 0} billing cycles |`,
      `| size at the end of each 30 days (MB) | ${year.months.map((m) => mb(m.dbBytes)).join(' · ')} |`,
      '',
      'Where the space goes (each table with its indexes):',
      '',
      '| table | rows | MB |',
      '|---|---:|---:|',
      ...top.map((x) => `| ${x.table} | ${thousands(x.rows)} | ${mb(x.bytes)} |`),
      `| the other ${tables.length - top.length} tables | | ${mb(rest)} |`,
      '',
      `The ledger keeps every order, despatch, invoice, return and refund (and their bindings) for good, and payout lines for ${RETENTION.settlementDays} days: those grow with the trade, about the figure above a year at this volume; everything else is held to its retention. How the year is simulated: the flows' own storage code writes every row (the marketplace is the emulator, called in the same process; SAP's answers are made up, all successful), and the engine's maintenance prunes on the same clock. The first ${full} days write what outlasts the retention (each order as it ends, how it arrived, its Sales Order, Delivery Note, invoice, return, refund and payout lines) and record a run of the orders flow every quarter of an hour; the last ${options.fullDays} days run minute by minute with every flow's runs, the health checks, a stock cycle every 2 minutes, and every settled write and timeline event, whose retention ends within those days. The first stock cycle reads every SKU; later cycles record their uploads in the outbox (the last 8 days through the stock flow's own sending code).`,
      '',
      '### Backup and restore of that ledger',
      '',
      '| | |',
      '|---|---|',
      `| start-up check (quick_check) and open | ${seconds(openMs)} s |`,
      `| a step of the engine's pruning, nothing left to prune | ${pruneMs.toFixed(0)} ms |`,
      `| the engine's daily backup | ${mb(daily.bytes)} MB in ${seconds(daily.ms)} s: copy ${seconds(daily.copyMs)} s (${PAGES_PER_STEP.toLocaleString('en-GB')} pages a step), integrity check ${seconds(daily.checkMs)} s on a worker thread${daily.checkedOnThread ? ' (ran on the engine thread: no worker)' : ''}; the engine's thread held at most ${heldMs.toFixed(0)} ms at a time |`,
      `| \`npm run engine -- backup\` | ${seconds(cli.ms)} s (copy ${seconds(cli.copyMs)} s, check ${seconds(cli.checkMs)} s) |`,
      `| a damaged ledger refused at start | ${seconds(refuseMs)} s to say so |`,
      `| \`npm run engine -- restore\` | ${seconds(restored.ms)} s (the backup checked, the damaged ledger kept aside, the copy put in place and opened); ${thousands(ordersBack)} orders back |`,
      `| ${DEFAULT_BACKUP_SETTINGS.keepDays} daily backups kept (the default) | about ${mb(daily.bytes * DEFAULT_BACKUP_SETTINGS.keepDays)} MB in the backup folder |`,
    ].join('\n');
    if (process.env.LEDGER_YEAR_WRITE === '0') console.log(`\n${markdown}`);
    else {
      await writeReliabilitySection('ledger', markdown);
      console.log('docs/reliability.md: the ledger section is written.');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
