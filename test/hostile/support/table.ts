/**
 * The hostile-input suite's shared shapes: a case names one kind of hostile input and what it must give; a run of
 * the cases gives one outcome each. The tests assert the outcomes against the cases; `npm run reliability:hostile`
 * writes the same outcomes into docs/reliability.md, so the page and the suite cannot say different things.
 */

/** What a case must give: an exception of this type on its record (its summary and raw error as stated), or acceptance. */
export type Expected =
  /** `result`: what became of the record after it (e.g. posted once the exception resolved itself). */
  | { exception: string; summary?: RegExp; rawError?: RegExp; result?: RegExp }
  | { accepted: RegExp }
  /** A hostile answer to a whole read (no record of its own): the run stops with this error, and then `result`. */
  | { runStops: RegExp; result: RegExp };

export interface ExceptionSeen {
  type: string;
  severity: string;
  /** open, retrying, resolved (the engine settled it itself) or dismissed. */
  state: string;
  summary: string;
  rawError: string | null;
}

export interface Outcome {
  /** Which system sent the hostile input. */
  side: string;
  kind: string;
  /** The exceptions on the case's record, open ones first. */
  exceptions: ExceptionSeen[];
  /** What became of the record, in words ('posted as one Sales Order', 'not posted'). */
  result: string;
  /** The run that met it ended as it should (no crash of the run, the other records went on). */
  othersWentOn: boolean;
  /** For a hostile answer to a whole read: the error the run stopped with. */
  runError?: string;
}

/** The text the reliability page shows for an outcome: the exception (type, severity, summary) or what was accepted. */
export function outcomeText(o: Outcome): string {
  if (o.runError !== undefined) return `the run stops: “${shorten(o.runError, 240)}”; ${o.result}`;
  const e = o.exceptions[0];
  if (!e) return `accepted: ${o.result}`;
  // The other system's words, unless they are the whole record it sent (an order's JSON says nothing more than the summary).
  const record = (raw: string) => /^[[{]/.test(raw) && !/"message"/.test(raw.slice(0, 200));
  const words = e.rawError && !e.summary.includes(e.rawError) && !record(e.rawError);
  const raw = words ? ` — their words: “${shorten(e.rawError!, 160)}”` : '';
  const settled = e.state === 'resolved' ? ' — resolved by the engine' : '';
  return `\`${e.type}\` (${e.severity}): ${shorten(e.summary, 240)}${raw}${settled}; ${o.result}`;
}

/** Whether an outcome is what its case expects; the reason when not. */
export function mismatch(expected: Expected, o: Outcome): string | null {
  if ('runStops' in expected) {
    if (!expected.runStops.test(o.runError ?? '')) return `expected the run to stop with ${String(expected.runStops)}, got '${o.runError ?? 'no error'}'`;
    return expected.result.test(o.result) ? null : `expected a result matching ${String(expected.result)}, got '${o.result}'`;
  }
  if ('accepted' in expected) {
    if (o.exceptions.length) return `expected acceptance, got ${o.exceptions.map((e) => `${e.type}: ${e.summary}`).join('; ')}`;
    return expected.accepted.test(o.result) ? null : `expected a result matching ${String(expected.accepted)}, got '${o.result}'`;
  }
  const e = o.exceptions.find((x) => x.type === expected.exception);
  if (!e) return `expected a ${expected.exception} exception, got ${o.exceptions.map((x) => `${x.type}: ${x.summary}`).join('; ') || `none (${o.result})`}`;
  if (expected.summary && !expected.summary.test(e.summary)) return `summary '${e.summary}' does not match ${String(expected.summary)}`;
  if (expected.rawError && !expected.rawError.test(e.rawError ?? '')) return `raw error '${e.rawError}' does not match ${String(expected.rawError)}`;
  if (expected.result && !expected.result.test(o.result)) return `expected a result matching ${String(expected.result)}, got '${o.result}'`;
  return null;
}

/** Long hostile values (100,000 characters) are named by their length, never printed. */
export function shorten(text: string, max: number): string {
  // A run of one character (a 100,000-character value) by its length, so the cell shows what follows it.
  const flat = text.replace(/\s+/g, ' ').replace(/(.)\1{39,}/g, (run: string, c: string) => `${c.repeat(5)}…(${run.length} × ${c})`);
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** The Markdown table for the reliability page: one row per kind, grouped by side. */
export function outcomesTable(outcomes: readonly Outcome[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = outcomes.map((o) => `| ${cell(o.side)} | ${cell(o.kind)} | ${cell(outcomeText(o))} | ${o.othersWentOn ? 'yes' : '**no**'} |`);
  return ['| from | hostile input | what it gives | other records went on |', '|---|---|---|---|', ...rows].join('\n');
}

/** The case's own ids and timestamps out of a sentence, so the table reads the same on every run. */
export function anonymise(text: string, o: { orderId: string; commercialId: string }): string {
  return text
    .split(o.orderId)
    .join('<order>')
    .split(o.commercialId)
    .join('<commercial id>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>')
    .replace(/Sales Order \d+/g, 'Sales Order <number>');
}
