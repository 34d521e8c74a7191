import type { Engine } from '../../../electron/engine/engine';
import { tempDir } from '../../support/ports';
import { startReturnsWorld, type ReturnsWorld } from '../../integration/returns/world';
import type { Expected, ExceptionSeen, Outcome } from './table';

const exact = (text: string) => (JSON as unknown as { rawJSON(t: string): unknown }).rawJSON(text);
const LONG = 'R'.repeat(100_000);

interface Shipped {
  orderId: string;
  lines: { orderLineId: string }[];
}

/** One kind of hostile return (RT11) or refund (on an order's lines, OR11) and what it must give. */
export interface ReturnCase {
  kind: string;
  /** A return the customer opens on the order, as RT11 then shows it; or refunds as OR11 then shows them on the order's line. */
  shape: { returnWire: (order: Shipped, returnId: string) => Record<string, unknown> } | { refunds: (order: Shipped) => unknown[] };
  expect: Expected;
}

const refund = (over: Record<string, unknown>) => ({
  id: `RF-${Math.random().toString(36).slice(2, 10)}`,
  amount: exact('5.00'),
  shipping_amount: exact('0.00'),
  quantity: 1,
  reason_code: 'REFUND_GOODWILL',
  refund_state: 'REFUNDED',
  created_date: '2026-11-26T10:00:00Z',
  taxes: [{ code: 'GB-VAT-STD', amount: exact('0.83'), rate: 20 }],
  shipping_taxes: [],
  ...over,
});

export const RETURN_CASES: ReturnCase[] = [
  {
    kind: 'a return with null in every optional field',
    shape: {
      returnWire: () => ({
        rma: null,
        order_commercial_id: null,
        reason_code: null,
        method_code: null,
        return_address: null,
        date_created: null,
        tracking: null,
      }),
    },
    expect: { accepted: /^stored \(stage awaiting-goods\)/ },
  },
  {
    kind: 'a new return in an unknown state',
    shape: { returnWire: () => ({ state: 'WAITING_PICKUP' }) },
    expect: { exception: 'return-state-unknown', summary: /'WAITING_PICKUP'/, result: /stage blocked/ },
  },
  {
    kind: 'a return without an id',
    shape: { returnWire: () => ({ id: null }) },
    expect: { exception: 'return-unreadable', summary: /without an id/ },
  },
  {
    kind: 'a return line without an order line id',
    shape: { returnWire: () => ({ return_lines: [{ order_line_id: null, quantity: 1, reason_code: 'DAMAGED' }] }) },
    expect: { exception: 'return-invalid', summary: /a line without an order line id/ },
  },
  {
    kind: 'a return line with quantity 0',
    shape: { returnWire: (o) => ({ return_lines: [{ order_line_id: o.lines[0]!.orderLineId, quantity: 0, reason_code: 'DAMAGED' }] }) },
    expect: { exception: 'return-invalid', summary: /quantity 0/ },
  },
  {
    kind: 'a return line with a fractional quantity (0.5)',
    shape: { returnWire: (o) => ({ return_lines: [{ order_line_id: o.lines[0]!.orderLineId, quantity: exact('0.5'), reason_code: 'DAMAGED' }] }) },
    expect: { exception: 'return-invalid', summary: /quantity '0\.5'/ },
  },
  {
    kind: 'a return for an order the console never saw',
    shape: { returnWire: () => ({ order_id: 'NEVER-SEEN-A', order_commercial_id: 'NEVER-SEEN' }) },
    expect: { exception: 'order-not-posted', summary: /NEVER-SEEN-A/ },
  },
  {
    kind: 'a 100,000-character RMA and reason code, emoji and right-to-left text in the reason',
    shape: { returnWire: () => ({ rma: LONG, reason_code: `تالف 📦 ${LONG}` }) },
    expect: { accepted: /^stored \(stage awaiting-goods\)/ },
  },
  {
    kind: 'a refund without an id (on an order line)',
    shape: { refunds: () => [refund({ id: null })] },
    expect: { exception: 'refund-unreadable', summary: /has no id/, result: /no Credit Memo/ },
  },
  {
    kind: 'a refund whose amount is not a number ("5,00")',
    shape: { refunds: () => [refund({ amount: '5,00' })] },
    expect: { exception: 'refund-unreadable', summary: /amount '5,00'/, result: /no Credit Memo/ },
  },
  {
    kind: 'a refund without an amount (null)',
    shape: { refunds: () => [refund({ amount: null })] },
    expect: { exception: 'refund-unreadable', summary: /amount \(none\)/, result: /no Credit Memo/ },
  },
  {
    kind: 'a refund in an unknown state',
    shape: { refunds: () => [refund({ refund_state: 'REFUND_REVERSED' })] },
    expect: { exception: 'refund-unreadable', summary: /'REFUND_REVERSED'/, result: /no Credit Memo/ },
  },
];

/**
 * Ships one order per case (and one more, the control, that gets a sound return and a sound refund), then lets the
 * customer open a return on each and the marketplace show it (RT11), or show refunds on its line (OR11), as the case
 * says; the orders and returns flows read them.
 */
export async function runReturnCases(cases: readonly ReturnCase[] = RETURN_CASES): Promise<Outcome[]> {
  const world: ReturnsWorld = await startReturnsWorld();
  const tmp = tempDir('hostile-returns-');
  let engine: Engine | null = null;
  try {
    engine = world.engine({ ledgerFile: tmp.file('finance.db'), returns: { autoAccept: true } });
    await engine.command('orders.preflight', { createFields: true, actor: 'hostile-input suite' });
    await engine.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', actor: 'hostile-input suite' });
    const shipped = await world.shippedOrders(engine, cases.length + 1, { skus: ['SKU000001'], quantity: 2 });
    const control = shipped.at(-1)!;
    const returnIds: (string | null)[] = [];
    const rmas = new Map<string, string>();
    for (const [i, c] of cases.entries()) {
      const o = shipped[i]!;
      if ('returnWire' in c.shape) {
        const { returnId, rma } = world.jl.admin.createReturn({ orderId: o.orderId });
        rmas.set(returnId, rma);
        world.jl.admin.shapeReturn(returnId, c.shape.returnWire(o, returnId));
        returnIds.push(returnId);
      } else {
        world.jl.admin.shapeOrder(o.orderId, { lines: [{ refunds: c.shape.refunds(o) }] });
        returnIds.push(null);
      }
    }
    const { returnId: controlReturn } = world.jl.admin.createReturn({ orderId: control.orderId });
    world.jl.admin.refundFromBackOffice({ orderId: control.orderId, lines: [{ orderLineId: control.lines[0]!.orderLineId, amount: '5.00' }] });
    world.jl.admin.advanceClock(60_000);
    const runs = [];
    for (const flow of ['orders', 'returns', 'invoicing', 'returns'] as const) {
      await world.run(engine, flow);
      runs.push(...(await engine.query('runs.list', { flow, limit: 1 })));
    }

    const exceptions = (await engine.query('exceptions.list', { limit: 500 })).rows;
    const returns = (await engine.query('returns.list', { limit: 500 })).rows;
    const controlOk =
      returns.some((r) => r.returnId === controlReturn && r.stage === 'awaiting-goods') && world.documents('CreditNotes', control.orderId).length === 1;
    const crashed = runs.some((r) => r.error && /TypeError|ReferenceError|RangeError|DecimalError|SyntaxError|Cannot read|is not a function/.test(r.error));
    const out: Outcome[] = [];
    for (const [i, c] of cases.entries()) {
      const o = shipped[i]!;
      const returnId = returnIds[i];
      const mine = exceptions.filter((e) =>
        returnId
          ? (e.record.type === 'return' && e.record.key === returnId) || (e.record.type === 'return-listing' && e.record.key === `RMA ${rmas.get(returnId)}`)
          : e.record.type === 'order' && e.record.key === o.orderId,
      );
      const seen: ExceptionSeen[] = mine.map((e) => ({
        type: e.type,
        severity: e.severity,
        state: e.state,
        summary: anonymise(e.summary, o.orderId, returnId),
        rawError: e.rawError && anonymise(e.rawError, o.orderId, returnId),
      }));
      let result: string;
      if (returnId) {
        const row = returns.find((r) => r.returnId === returnId);
        result = row ? `stored (stage ${row.stage})` : 'not stored';
      } else {
        const credits = world.documents('CreditNotes', o.orderId).length;
        result = credits ? `${credits} Credit Memo${credits > 1 ? 's' : ''} in SAP` : 'no Credit Memo in SAP';
      }
      out.push({
        side: 'returnWire' in c.shape ? 'marketplace return (RT11)' : 'marketplace refund (OR11)',
        kind: c.kind,
        exceptions: seen,
        result,
        othersWentOn: controlOk && !crashed,
      });
    }
    return out;
  } finally {
    await engine?.stop();
    await world.stop();
    tmp.cleanup();
  }
}

function anonymise(text: string, orderId: string, returnId: string | null | undefined): string {
  let out = text.split(orderId).join('<order>');
  if (returnId) out = out.split(returnId).join('<return>');
  return out.replace(/RF-[a-z0-9]{8}/g, '<refund>').replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>');
}
