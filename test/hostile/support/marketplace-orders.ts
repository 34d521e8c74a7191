import type { Engine } from '../../../electron/engine/engine';
import { tempDir } from '../../support/ports';
import { createOrdersEngine } from '../../integration/orders/engine-factory';
import { startWorld, SKUS, type World } from '../../integration/orders/world';
import { startProxy, type ProxyAnswer } from './proxy';
import { anonymise, type Expected, type ExceptionSeen, type Outcome } from './table';

/** A money value with its exact digits, as the marketplace writes it into JSON. */
const exact = (text: string) => (JSON as unknown as { rawJSON(t: string): unknown }).rawJSON(text);
const LONG = 'x'.repeat(100_000);

type Wire = Parameters<World['jl']['admin']['shapeOrder']>[1];

/** One kind of hostile order payload: how the marketplace sends it (OR11) and what it must give. */
export interface OrderCase {
  kind: string;
  /** The order as created on the marketplace (one line of SKUS[0] unless said). */
  create?: { skus?: string[]; quantities?: number[] };
  /** What OR11 shows for it from its first read. */
  wire?: (order: { orderId: string; commercialId: string; lines: { orderLineId: string }[] }) => Wire;
  /** What OR11 shows once the order was posted (a later change). */
  later?: (order: { orderId: string }) => Wire;
  /** What SAP's Sales Order holds of the hostile values, in words (for a case that is accepted). */
  inspect?: (salesOrder: Record<string, unknown>) => string;
  expect: Expected;
}

/** Every optional field of an order, null (OR11: "the spec's types lie about nulls"). */
const NULL_ORDER_FIELDS = {
  references: null,
  channel: null,
  order_state_reason_code: null,
  order_state_reason_label: null,
  acceptance_decision_date: null,
  customer_debited_date: null,
  shipping_deadline: null,
  leadtime_to_ship: null,
  can_cancel: null,
  can_shop_ship: null,
  has_incident: null,
  fully_refunded: null,
  payment_workflow: null,
  total_commission: null,
  shipping_type_code: null,
  shipping_type_label: null,
  shipping_zone_code: null,
  shipping_zone_label: null,
  shipping_carrier_code: null,
  shipping_company: null,
  shipping_tracking: null,
  shipping_tracking_url: null,
  customer_notification_email: null,
  order_taxes: null,
  order_additional_fields: null,
};
const NULL_LINE_FIELDS = {
  order_line_index: null,
  offer_id: null,
  product_sku: null,
  product_shop_sku: null,
  product_title: null,
  origin_unit_price: null,
  total_price: null,
  commission_fee: null,
  commission_taxes: null,
  total_commission: null,
  can_refund: null,
  debited_date: null,
  shipped_date: null,
  refunds: null,
  cancelations: null,
  shipping_taxes: null,
};
const address = (over: Record<string, unknown>) => ({
  firstname: 'Alex',
  lastname: 'Customer',
  company: null,
  street_1: '1 Sloane Square',
  street_2: null,
  city: 'London',
  zip_code: 'SW1W 8EL',
  state: null,
  country: 'United Kingdom',
  country_iso_code: 'GBR',
  phone: null,
  ...over,
});
const customer = (over: Record<string, unknown>) => ({
  customer_id: 'C1',
  firstname: over.firstname ?? 'Alex',
  lastname: over.lastname ?? 'Customer',
  billing_address: address(over),
  shipping_address: address(over),
});

export const ORDER_CASES: OrderCase[] = [
  {
    kind: 'null in every optional order field',
    wire: () => ({ order: NULL_ORDER_FIELDS }),
    expect: { accepted: /posted as one Sales Order/ },
  },
  {
    kind: 'null in every optional line field (shipping taxes included)',
    wire: () => ({ lines: [NULL_LINE_FIELDS] }),
    expect: { exception: 'vat-unknown', summary: /shipping charge came without VAT/, rawError: /shipping_taxes: none/ },
  },
  {
    kind: 'a line without any price (price_unit and price null)',
    wire: () => ({ lines: [{ price_unit: null, price: null }] }),
    expect: { exception: 'order-invalid', summary: /no price/ },
  },
  {
    kind: 'a price that is not a number ("12,50")',
    wire: () => ({ lines: [{ price_unit: '12,50', price: '12,50' }] }),
    expect: { exception: 'order-invalid', summary: /price_unit '12,50', price '12,50', which cannot be read/ },
  },
  {
    kind: 'a negative price',
    wire: () => ({ lines: [{ price_unit: exact('-19.99'), price: exact('-19.99') }] }),
    expect: { exception: 'order-invalid', summary: /unit price -19\.99/ },
  },
  {
    kind: 'prices with five decimals',
    wire: () => ({ lines: [{ price_unit: exact('19.98765'), price: exact('19.98765') }] }),
    expect: { exception: 'value-unfit', summary: /19\.98765 has 5 decimal places/ },
  },
  {
    kind: 'quantity 0',
    wire: () => ({ lines: [{ quantity: 0 }] }),
    expect: { exception: 'order-invalid', summary: /quantity 0/ },
  },
  {
    kind: 'negative quantity',
    wire: () => ({ lines: [{ quantity: -2 }] }),
    expect: { exception: 'order-invalid', summary: /quantity -2/ },
  },
  {
    kind: 'a fractional quantity (1.5)',
    wire: () => ({ lines: [{ quantity: exact('1.5') }] }),
    expect: { exception: 'order-invalid', summary: /quantity '1\.5', which cannot be read/ },
  },
  {
    kind: 'quantity null',
    wire: () => ({ lines: [{ quantity: null }] }),
    expect: { exception: 'order-invalid', summary: /quantity/ },
  },
  {
    kind: 'duplicate line ids',
    create: { skus: [SKUS[0]!, SKUS[1]!] },
    wire: (o) => ({ lines: [undefined, { order_line_id: o.lines[0]!.orderLineId }] }),
    expect: { exception: 'order-invalid', summary: /appears more than once/ },
  },
  {
    kind: 'a line without a line id',
    wire: () => ({ lines: [{ order_line_id: null }] }),
    expect: { exception: 'order-invalid', summary: /no line id/ },
  },
  {
    kind: 'no lines at all',
    wire: () => ({ order: { order_lines: [] } }),
    expect: { exception: 'order-invalid', summary: /no lines/ },
  },
  {
    kind: 'an unknown SKU',
    wire: () => ({ lines: [{ offer_sku: 'JL-NOT-IN-SAP' }] }),
    expect: { exception: 'sku-unknown', summary: /JL-NOT-IN-SAP/, rawError: /No matching records found/ },
  },
  {
    kind: 'a line without a SKU',
    wire: () => ({ lines: [{ offer_sku: null }] }),
    expect: { exception: 'sku-unknown', summary: /has no SKU/ },
  },
  {
    kind: 'a missing customer (customer null)',
    wire: () => ({ order: { customer: null } }),
    expect: { exception: 'address-missing', summary: /no delivery address/ },
  },
  {
    kind: 'an unknown order state',
    wire: () => ({ order: { order_state: 'ON_HOLD_FOR_REVIEW' } }),
    expect: { exception: 'order-state-unknown', summary: /ON_HOLD_FOR_REVIEW/ },
  },
  {
    kind: "a state code that is a name JavaScript objects carry ('constructor')",
    wire: () => ({ order: { order_state: 'constructor' } }),
    expect: { exception: 'order-state-unknown', summary: /'constructor'/ },
  },
  {
    kind: 'an unknown line state',
    wire: () => ({ lines: [{ order_line_state: 'PARTIALLY_SHIPPED' }] }),
    expect: { exception: 'order-state-unknown', summary: /PARTIALLY_SHIPPED/ },
  },
  {
    kind: 'an unknown tax mode',
    wire: () => ({ order: { order_tax_mode: 'TAX_MIXED' } }),
    expect: { exception: 'order-invalid', summary: /TAX_MIXED/ },
  },
  {
    kind: 'an order that changes state backwards (posted, then WAITING_ACCEPTANCE)',
    later: () => ({ order: { order_state: 'WAITING_ACCEPTANCE' }, lines: [{ order_line_state: 'WAITING_ACCEPTANCE' }] }),
    expect: { exception: 'order-state-backwards', summary: /SHIPPING.*WAITING_ACCEPTANCE/ },
  },
  {
    kind: 'emoji and right-to-left text in names and addresses',
    wire: () => ({
      order: {
        customer: customer({ firstname: 'Zoë 🎁', lastname: 'محمد علي', street_1: '١٢ شارع الملك 🏠', city: 'תל אביב', company: 'Ünïcødé 👩‍👩‍👧 Ltd' }),
      },
    }),
    inspect: (doc) => heldAsSent(doc, { ShipToStreet: '١٢ شارع الملك 🏠', ShipToCity: 'תל אביב', ShipToBuilding: 'Zoë 🎁 محمد علي, Ünïcødé 👩‍👩‍👧 Ltd' }),
    expect: { accepted: /posted as one Sales Order; SAP holds the names and address as sent/ },
  },
  {
    kind: 'a 100,000-character customer name and street',
    wire: () => ({ order: { customer: customer({ firstname: LONG, street_1: LONG }) } }),
    inspect: (doc) => {
      const a = (doc.AddressExtension ?? {}) as Record<string, string>;
      return `SAP holds the street's first ${a.ShipToStreet?.length ?? 0} characters and the name's first ${a.ShipToBuilding?.length ?? 0} (its fields' sizes); the order keeps them whole`;
    },
    expect: { accepted: /posted as one Sales Order; SAP holds the street's first 100 characters and the name's first 100/ },
  },
  {
    kind: "an emoji across SAP's field limit (a street of 99 characters and an emoji)",
    wire: () => ({ order: { customer: customer({ street_1: `${'a'.repeat(99)}🏠`, city: 'London' }) } }),
    inspect: (doc) => {
      const street = String(((doc.AddressExtension ?? {}) as Record<string, unknown>).ShipToStreet ?? '');
      return wellFormed(street) ? `SAP holds the street's first ${street.length} characters, no half of the emoji` : 'SAP holds half an emoji';
    },
    expect: { accepted: /posted as one Sales Order; SAP holds the street's first 99 characters, no half of the emoji/ },
  },
  {
    kind: 'a 100,000-character SKU',
    wire: () => ({ lines: [{ offer_sku: LONG }] }),
    expect: { exception: 'sku-unknown', summary: /100000 characters/, rawError: /SAP's item codes hold 50/ },
  },
  {
    kind: 'a 100,000-character order id',
    wire: () => ({ order: { order_id: LONG } }),
    expect: { exception: 'listing-unreadable', summary: /an order_id of 100000 characters/ },
  },
  {
    kind: 'a 100,000-character line id',
    wire: () => ({ lines: [{ order_line_id: LONG }] }),
    expect: { exception: 'acceptance-refused', summary: /OR21 400/ },
  },
  {
    kind: "a 100,000-character customer's order number",
    wire: () => ({ order: { commercial_id: LONG } }),
    expect: { exception: 'value-unfit', summary: /100000 characters; SAP's NumAtCard holds 100/ },
  },
  {
    kind: 'an order without an order id',
    wire: () => ({ order: { order_id: null } }),
    expect: { exception: 'listing-unreadable', summary: /without an order_id/ },
  },
];

/** A hostile answer to the whole order list (OR11): no record of its own, so the run must say it and lose nothing. */
export interface ListingCase {
  kind: string;
  answer: ProxyAnswer;
  expect: Expected;
}

export const LISTING_CASES: ListingCase[] = [
  {
    kind: 'an HTML page with 200 OK instead of the order list (a proxy or captive portal)',
    answer: {
      kind: 'answer',
      status: 200,
      contentType: 'text/html',
      body: '<!DOCTYPE html><html><head><title>Guest Wi-Fi: sign in</title></head><body>Sign in</body></html>',
    },
    expect: {
      runStops: /OR11: the marketplace's address answered HTTP 200 with a web page \('Guest Wi-Fi: sign in'\)/,
      result: /^nothing read; the next run read the order waiting/,
    },
  },
  {
    kind: 'the order list cut short (JSON ends mid-way)',
    answer: { kind: 'cut-body' },
    expect: { runStops: /OR11: the marketplace's answer was not whole JSON/, result: /^nothing read; the next run read the order waiting/ },
  },
];

const salesOrders = (world: World, orderId: string) => [...world.sap.state.documents.Orders.values()].filter((d) => d.U_JLM_OrderId === orderId);

/**
 * Runs every order case at once on one marketplace and one SAP company, beside a sound order that must post whatever
 * the others do: each case's order is read, accepted, debited and posted (or refused) by the orders flow as in the shop.
 */
export async function runOrderCases(cases: readonly OrderCase[] = ORDER_CASES, listings: readonly ListingCase[] = LISTING_CASES): Promise<Outcome[]> {
  const world = await startWorld({ items: 40 });
  const proxy = await startProxy(world.jl.url);
  const tmp = tempDir('hostile-orders-');
  let engine: Engine | null = null;
  try {
    const setup = world.engine({ ledgerFile: tmp.file('setup.db') });
    await setup.command('orders.preflight', { createFields: true, actor: 'hostile-input suite' });
    await setup.stop();
    world.releaseLease();
    // The marketplace through a proxy, which answers the order list as a faulty one would when a listing case asks.
    engine = createOrdersEngine({ sapUrl: world.sap.url, marketplaceUrl: proxy.url, marketplaceKey: world.jl.apiKey, ledgerFile: tmp.file('orders.db') });

    const [control] = world.jl.admin.createOrders({ count: 1, skus: [SKUS[1]!] });
    const created = cases.map((c) => world.jl.admin.createOrders({ count: 1, skus: c.create?.skus ?? [SKUS[0]!], quantities: c.create?.quantities })[0]!);
    // The key each case's record goes by in the ledger (its order id as the marketplace sends it).
    const keys = created.map((o, i) => {
      const wire = cases[i]!.wire?.(o);
      if (wire) world.jl.admin.shapeOrder(o.orderId, wire);
      const shapedId = wire?.order && 'order_id' in wire.order ? wire.order.order_id : o.orderId;
      return typeof shapedId === 'string' ? shapedId : null;
    });
    const runs = [];
    runs.push(...(await engine.runOnce()));
    world.jl.admin.debitOrders();
    runs.push(...(await engine.runOnce()));
    runs.push(...(await engine.runOnce()));
    // Later changes, on orders already posted.
    world.jl.admin.advanceClock(60_000);
    cases.forEach((c, i) => c.later && world.jl.admin.shapeOrder(created[i]!.orderId, c.later(created[i]!)));
    runs.push(...(await engine.runOnce()));

    const exceptions = (await engine.query('exceptions.list', { limit: 500 })).rows;
    const controlPosted = salesOrders(world, control!.orderId).length === 1;
    // A run may fail (SAP down for one order), but never with an error nobody meant: that would be a crash.
    const crashed = runs.some((r) => r.error && /TypeError|ReferenceError|RangeError|DecimalError|SyntaxError|Cannot read|is not a function/.test(r.error));
    const out: Outcome[] = [];
    for (const [i, c] of cases.entries()) {
      const o = created[i]!;
      const key = keys[i] ?? null;
      const mine = exceptions.filter(
        (e) => (e.record.type === 'order' && e.record.key === key) || (e.record.type === 'order-listing' && e.record.key === `commercial id ${o.commercialId}`),
      );
      const seen: ExceptionSeen[] = mine
        .sort((a, b) => Number(b.state === 'open') - Number(a.state === 'open'))
        .map((e) => ({
          type: e.type,
          severity: e.severity,
          state: e.state,
          summary: anonymise(e.summary, o),
          rawError: e.rawError && anonymise(e.rawError, o),
        }));
      const docs = key ? salesOrders(world, key) : [];
      const detail = key && key.length < 1000 ? await engine.query('orders.get', { orderId: key }) : null;
      let result: string;
      if (docs.length === 1) {
        result = 'posted as one Sales Order';
        if (c.inspect) result += `; ${c.inspect(docs[0]!)}`;
      } else if (docs.length > 1) result = `posted as ${docs.length} Sales Orders`;
      else result = detail ? `not posted (stage ${detail.order.stage})` : 'not posted';
      out.push({ side: 'marketplace order (OR11)', kind: c.kind, exceptions: seen, result, othersWentOn: controlPosted && !crashed });
    }
    // The whole list answered as a faulty proxy would: the run says so, the watermark stays, the next run reads it all.
    for (const c of listings) {
      world.jl.admin.advanceClock(60_000);
      const [waiting] = world.jl.admin.createOrders({ count: 1, skus: [SKUS[2]!] });
      proxy.add({ method: 'GET', path: /^\/api\/orders\?/, times: 1, answer: c.answer });
      const [hit] = await engine.runOnce();
      const readThen = await engine.query('orders.get', { orderId: waiting!.orderId });
      const [next] = await engine.runOnce();
      const readNext = await engine.query('orders.get', { orderId: waiting!.orderId });
      const result = `${readThen ? 'the order waiting was read' : 'nothing read'}; ${readNext ? `the next run read the order waiting (${next!.outcome})` : 'the next run did not read it'}`;
      out.push({ side: 'marketplace order list (OR11)', kind: c.kind, exceptions: [], result, othersWentOn: !crashed, runError: hit!.error ?? '' });
    }
    return out;
  } finally {
    await engine?.stop();
    await proxy.stop();
    await world.stop();
    tmp.cleanup();
  }
}

/** No half of a surrogate pair (an emoji cut in two). */
const wellFormed = (text: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

/** Whether SAP holds these address values exactly as the marketplace sent them. */
function heldAsSent(doc: Record<string, unknown>, want: Record<string, string>): string {
  const a = (doc.AddressExtension ?? {}) as Record<string, unknown>;
  const wrong = Object.entries(want).filter(([k, v]) => a[k] !== v);
  return wrong.length ? `SAP holds ${wrong.map(([k]) => `${k} '${String(a[k])}'`).join(', ')}` : 'SAP holds the names and address as sent';
}
