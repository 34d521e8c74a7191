import { expect } from 'vitest';

/**
 * Console scenarios written once and run twice: in the UI project against the fake engine (test/ui/scenarios.test.tsx)
 * and end to end against the real engine behind the headless host, with the emulators (test/e2e/scenarios.test.ts).
 * Where the two disagree, the fake has drifted from the engine (or the engine from what the console expects).
 *
 * A scenario sees the console only through a driver (what an operator can find on the page: roles, labels, test
 * ids), and the world only through its facts, which each side's setup produces its own way: the fake seeds them,
 * the real side makes them happen in the emulators and reads back the ids.
 */

/** How a scenario points at something on the page. */
export interface Target {
  testId?: string;
  role?: 'button' | 'tab' | 'row' | 'textbox' | 'combobox' | 'searchbox' | 'region' | 'alert' | 'status' | 'listitem' | 'table' | 'checkbox';
  name?: string | RegExp;
  exact?: boolean;
  label?: string;
  placeholder?: string;
  /** Looked for inside this one. */
  within?: Target;
}

export type Screen = 'overview' | 'exceptions' | 'orders' | 'despatch' | 'returns' | 'invoicing' | 'stock' | 'runs';

export interface ConsoleDriver {
  /** A fresh console on this screen, as the world's operator (their name already given). */
  open(screen: Screen): Promise<void>;
  click(target: Target): Promise<void>;
  fill(target: Target, value: string): Promise<void>;
  select(target: Target, value: string): Promise<void>;
  /** The text of the one element the target names, or null when there is none. */
  text(target: Target): Promise<string | null>;
  count(target: Target): Promise<number>;
  /** How long to wait for the console to show something (the real engine answers over a socket). */
  readonly patienceMs: number;
}

/** What the scenarios need to know of the world both sides set up. */
export interface ScenarioWorld {
  operator: string;
  /** A marketplace order posted to SAP as a Sales Order, then despatched with a carrier nobody mapped. */
  posted: { orderId: string; numAtCard: string; docNum: number; sapCarrier: string; trackingNumber: string };
  /** Another order posted and despatched the same way: the searches must find one and not the other. */
  alsoDespatched: { orderId: string };
  /** A marketplace order whose SKU SAP does not have: held with an open exception. */
  blocked: { orderId: string; numAtCard: string; exceptionId: number; rawError: string };
  /** The stock figures of the last cycle: how many SKUs, and one of them. */
  stock: { skus: number; sku: string; available: number };
  /**
   * A customer's return of a shipped and invoiced order (one line, one unit), accepted and on its way back: waiting for
   * its goods. The customer's number is the order's.
   */
  returned: { returnId: string; rma: string; orderId: string; numAtCard: string; orderLineId: string };
  /** A refund reason on the marketplace's list (RE02), as the refund form shows it. */
  refundReason: string;
  /** How many delivered orders wait for an invoice (more than one), and one of them. */
  invoicing: { waiting: number; orderId: string; numAtCard: string };
}

export interface Scenario {
  name: string;
  run(console: ConsoleDriver, world: ScenarioWorld): Promise<void>;
}

/** Waits until the target's text matches (the console fetches, debounces and refetches on its own time). */
async function shows(d: ConsoleDriver, target: Target, text: string | RegExp): Promise<void> {
  await expect.poll(() => d.text(target), { timeout: d.patienceMs }).toMatch(text);
}

async function gone(d: ConsoleDriver, target: Target): Promise<void> {
  await expect.poll(() => d.count(target), { timeout: d.patienceMs }).toBe(0);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const consoleScenarios: Scenario[] = [
  {
    name: 'Orders: search by the customer’s number, open the order and see its Sales Order and timeline',
    async run(d, w) {
      await d.open('orders');
      await shows(d, { testId: `order-${w.blocked.orderId}` }, w.blocked.numAtCard);
      await d.fill({ placeholder: "Order id, customer's number or SAP DocNum" }, w.posted.numAtCard);
      await shows(d, { testId: 'orders-total' }, /^1 order$/);
      await shows(d, { testId: `order-${w.posted.orderId}` }, new RegExp(`${escape(w.posted.numAtCard)}.*${w.posted.docNum}`));
      await gone(d, { testId: `order-${w.blocked.orderId}` });

      await d.click({ role: 'button', name: w.posted.orderId, exact: true });
      await shows(d, { testId: 'order-detail' }, `SAP Sales Order ${w.posted.docNum}`);
      await expect.poll(() => d.count({ role: 'listitem', within: { testId: 'order-timeline' } }), { timeout: d.patienceMs }).toBeGreaterThan(0);
    },
  },
  {
    name: 'Despatch: the queue finds the despatch by the customer’s number, with SAP’s carrier and tracking, held for a carrier mapping',
    async run(d, w) {
      await d.open('despatch');
      await shows(d, { testId: `despatch-${w.alsoDespatched.orderId}` }, w.alsoDespatched.orderId);
      await d.fill({ placeholder: "Order id, customer's number, tracking or Delivery Note" }, w.posted.numAtCard);
      const row: Target = { testId: `despatch-${w.posted.orderId}` };
      await shows(d, row, new RegExp(`^blocked.*${escape(w.posted.orderId)}.*${escape(w.posted.sapCarrier)}.*${escape(w.posted.trackingNumber)}`));
      await shows(d, { testId: 'despatch-total' }, /^1 despatch$/);
      await gone(d, { testId: `despatch-${w.alsoDespatched.orderId}` });
      expect(await d.count({ role: 'button', name: `Correct despatch ${w.posted.orderId}` })).toBe(1);
      // The carrier mapping table offers the SAP carrier that holds it up.
      await shows(d, { testId: `mapping-${w.posted.sapCarrier}` }, w.posted.sapCarrier);
    },
  },
  {
    name: 'Stock: the SKU list counts every figure, a search finds one SKU, and it opens its warehouse breakdown',
    async run(d, w) {
      await d.open('stock');
      await shows(d, { testId: 'stock-sku-total' }, `${w.stock.skus} SKUs`);
      await d.fill({ label: 'Search SKUs' }, w.stock.sku);
      await shows(d, { testId: 'stock-sku-total' }, /^1 SKU$/);
      await shows(d, { testId: `stock-sku-${w.stock.sku}` }, new RegExp(`^${escape(w.stock.sku)}\\s*${escape(w.stock.sku)}\\s*${w.stock.available}`));
      await d.click({ role: 'button', name: `Breakdown of ${w.stock.sku}` });
      await shows(d, { testId: 'stock-formula' }, `= ${w.stock.available} available`);
    },
  },
  {
    name: 'Runs: filtered by flow, the list shows only that flow’s runs',
    async run(d) {
      await d.open('runs');
      await expect.poll(() => d.count({ role: 'row', name: /Orders/, within: { testId: 'runs-table' } }), { timeout: d.patienceMs }).toBeGreaterThan(0);
      await d.select({ role: 'combobox', name: 'Flow' }, 'stock');
      await gone(d, { role: 'row', name: /Orders/, within: { testId: 'runs-table' } });
      await expect.poll(() => d.count({ role: 'row', name: /Stock/, within: { testId: 'runs-table' } }), { timeout: d.patienceMs }).toBeGreaterThan(0);
    },
  },
  {
    name: 'Returns: the goods of a return waiting for them are marked received, and a refund from the form on its order becomes an SAP Credit Memo',
    async run(d, w) {
      const r = w.returned;
      await d.open('returns');
      const row: Target = { testId: `return-${r.returnId}` };
      await shows(d, row, new RegExp(`^Waiting for the goods.*${escape(r.rma)}.*${escape(r.orderId)}.*${escape(r.numAtCard)}`));
      await d.click({ role: 'checkbox', name: `Select return ${r.rma}` });
      await d.click({ role: 'button', name: 'Mark 1 return received' });
      await shows(d, { testId: 'returns-message' }, /^1 return marked received/);
      // Received, and John Lewis told (not "Received, telling John Lewis"): the run the button started is over.
      await shows(d, row, new RegExp(`^Received\\s*${escape(r.rma)}`));

      await d.click({ role: 'button', name: `Refund on order ${r.orderId}` });
      const form: Target = { role: 'region', name: 'Refund form' };
      await d.click({ role: 'checkbox', name: `Refund line ${r.orderLineId}`, within: form });
      await d.fill({ label: `Quantity for line ${r.orderLineId}`, within: form }, '1');
      await d.fill({ label: `Shipping for line ${r.orderLineId}`, within: form }, '0.00');
      await d.select({ role: 'combobox', name: 'Reason', within: form }, w.refundReason);
      await d.click({ role: 'button', name: 'Review refund', within: form });
      await d.click({ role: 'button', name: /^Send refund of /, within: form });
      const outcome: Target = { testId: 'refund-outcome' };
      await shows(d, outcome, /^Refund sent: John Lewis accepted it \(refund [^,)]+\)\.$/);
      const refundId = /\(refund ([^,)]+)\)/.exec((await d.text(outcome))!)![1]!;
      // Its Credit Memo: the refunds list shows it credited in SAP, with the Credit Memo's number in the last column.
      await shows(d, { testId: `refund-${refundId}` }, new RegExp(`^Credited in SAP${escape(refundId)}${escape(r.orderId)}.*\\d$`));
    },
  },
  {
    name: 'Invoicing: Run now invoices the delivered orders waiting, and the new batch shows each order’s A/R Invoice',
    async run(d, w) {
      await d.open('invoicing');
      await shows(d, { testId: 'invoicing-waiting' }, `${w.invoicing.waiting} delivered orders`);
      await d.click({ role: 'button', name: 'Run invoicing now' });
      await shows(d, { testId: 'invoicing-message' }, /^Invoicing batch started/);
      await shows(d, { testId: 'invoicing-waiting' }, 'None');
      // The new batch: run now, every order waiting posted, none failed.
      const n = w.invoicing.waiting;
      const batch: Target = { role: 'row', name: new RegExp(`Run now\\s*${n}\\s*${n}\\s*0\\s*£`), within: { testId: 'batches-table' } };
      await expect.poll(() => d.count(batch), { timeout: d.patienceMs }).toBe(1);
      await d.click(batch);
      await shows(d, { testId: 'batch-summary' }, `Run now · ${n} orders · ${n} posted · 0 failed`);
      await shows(d, { testId: `invoice-${w.invoicing.orderId}` }, new RegExp(`^Posted${escape(w.invoicing.orderId)}${escape(w.invoicing.numAtCard)}.*\\d`));
    },
  },
  // Last: a retry makes the engine run the orders flow again.
  {
    name: 'Exceptions: the order SAP has no item for shows SAP’s words; Retry is sent and recorded with the operator’s name',
    async run(d, w) {
      await d.open('exceptions');
      await d.fill({ role: 'searchbox', name: 'Search' }, w.blocked.orderId);
      await shows(d, { testId: 'exception-total' }, /^1 exception$/);
      const row: Target = { testId: `exception-${w.blocked.exceptionId}` };
      await shows(d, row, new RegExp(`SKU unknown.*${escape(w.blocked.orderId)}`));
      await d.click(row);
      await shows(d, { testId: 'raw-error' }, w.blocked.rawError);
      await shows(d, { testId: 'suggested-action' }, /SKU/);
      await d.click({ role: 'button', name: 'Retry', exact: true });
      await shows(d, { testId: 'notice' }, `Retry requested for ${w.blocked.orderId}.`);
      await shows(d, { testId: 'audit-trail' }, new RegExp(`${escape(w.operator)} asked for a retry`));
    },
  },
];
