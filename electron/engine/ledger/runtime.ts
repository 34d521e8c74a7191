/**
 * The ledger's SQLite module, better-sqlite3 13, loads a prebuilt binary made for Node-API 10 (Node.js 22.14+,
 * 23.6+, 24). An older Node.js (Debian's Node 20 has Node-API 9) does not refuse it politely: the process
 * crashes (segmentation fault) on the first database it opens. So every entry point that opens the ledger asks
 * first, and says what to do instead. npm scripts run on the project's own Node 24 (the `node` dev dependency).
 */
export const LEDGER_NODE_API = 10;

export class UnsupportedRuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedRuntimeError';
  }
}

/** One line saying why this Node.js cannot open the ledger, or null when it can. */
export function ledgerRuntimeProblem(versions: { node?: string; napi?: string } = process.versions): string | null {
  const napi = Number(versions.napi ?? 0);
  if (napi >= LEDGER_NODE_API) return null;
  return (
    `Node.js ${versions.node ?? '?'} (Node-API ${versions.napi ?? '?'}) cannot load the ledger's SQLite module (better-sqlite3 13 needs Node-API ${LEDGER_NODE_API}, Node.js 22.14 or newer): ` +
    'start it with npm (npm run engine -- …, npm run sandbox), which runs the project’s own Node.js 24.'
  );
}

/** Throws UnsupportedRuntimeError instead of letting the native module crash the process. */
export function assertLedgerRuntime(): void {
  const problem = ledgerRuntimeProblem();
  if (problem) throw new UnsupportedRuntimeError(problem);
}
