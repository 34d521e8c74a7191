/**
 * npm run reliability:hostile — runs the hostile-input suite's cases (test/hostile: the same case tables and runners
 * the tests assert) and writes what each kind of hostile input gave into docs/reliability.md's `hostile-input` section.
 * It writes nothing when a case no longer gives what its case says: the suite fails then too, and the page would lie.
 */
import { LISTING_CASES, ORDER_CASES, runOrderCases } from '../../test/hostile/support/marketplace-orders';
import { RETURN_CASES, runReturnCases } from '../../test/hostile/support/marketplace-returns';
import { SAP_CASES, runSapCases } from '../../test/hostile/support/sap-answers';
import { ERROR_CLASS_CASES, expectedOf, runErrorClassCases } from '../../test/hostile/support/sap-error-classes';
import { mismatch, outcomesTable, type Expected, type Outcome } from '../../test/hostile/support/table';
import { writeReliabilitySection } from './doc-sections';

async function main(): Promise<void> {
  const started = Date.now();
  const groups: { title: string; expected: Expected[]; outcomes: Outcome[] }[] = [];
  const note = (title: string, expected: Expected[], outcomes: Outcome[]) => {
    groups.push({ title, expected, outcomes });
    process.stdout.write(`${title}: ${outcomes.length} kinds\n`);
  };
  note(
    'The marketplace: orders (OR11)',
    [...ORDER_CASES, ...LISTING_CASES].map((c) => c.expect),
    await runOrderCases(),
  );
  note(
    'The marketplace: returns (RT11) and refunds',
    RETURN_CASES.map((c) => c.expect),
    await runReturnCases(),
  );
  note(
    'SAP: answers while an order is posted (through a proxy in front of the Service Layer)',
    SAP_CASES.map((c) => c.expect),
    await runSapCases(),
  );
  note('SAP: every error class, as the connector reads it', ERROR_CLASS_CASES.map(expectedOf), runErrorClassCases());

  const wrong = groups.flatMap((g) =>
    g.outcomes.flatMap((o, i) => {
      const why = mismatch(g.expected[i]!, o) ?? (o.othersWentOn ? null : 'the other records did not go on');
      return why ? [`${o.side} — ${o.kind}: ${why}`] : [];
    }),
  );
  if (wrong.length) {
    process.stderr.write(`Not written: ${wrong.length} case(s) no longer give what they should:\n${wrong.map((w) => `  ${w}`).join('\n')}\n`);
    process.exitCode = 1;
    return;
  }

  const total = groups.reduce((n, g) => n + g.outcomes.length, 0);
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date());
  const markdown = [
    `Written by \`npm run reliability:hostile\` on ${day} from the hostile-input suite (\`test/hostile\`, the same cases its`,
    `tests assert): ${total} kinds of hostile input, each tried beside a sound record that had to go through (the last`,
    `column). An exception is named by its type and severity with the summary an operator reads and the other system's`,
    `own words; ids and times of the run are shown as \`<order>\`, \`<time>\`. A 100,000-character value is named by its`,
    `start and length.`,
    '',
    ...groups.flatMap((g) => [`### ${g.title}`, '', outcomesTable(g.outcomes), '']),
  ].join('\n');
  await writeReliabilitySection('hostile-input', markdown);
  process.stdout.write(`docs/reliability.md: hostile-input section written (${total} kinds, ${Math.round((Date.now() - started) / 1000)} s)\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
