import { systemClock } from '../../../electron/engine/clock';
import type { Engine } from '../../../electron/engine/engine';
import type { Clock } from '../../../electron/engine/ports';
import { startSapEmulator } from '../../../emulators/sap-b1';
import { startMarketplaceEmulator } from '../../../emulators/john-lewis';
import { createOrdersEngine } from '../../integration/orders/engine-factory';
import { tempDir } from '../../support/ports';
import { startProxy, type ProxyAnswer, type ProxyRule } from './proxy';
import { anonymise, type Expected, type ExceptionSeen, type Outcome } from './table';

/** SAP's error body as the Service Layer writes it: v2 (OData v4) by default, v1 (OData v3) on request. */
export const sapError = (code: number, message: string, version: 'v1' | 'v2' = 'v2') =>
  JSON.stringify(version === 'v1' ? { error: { code, message: { lang: 'en-us', value: message } } } : { error: { code: String(code), message } });
const json = (status: number, body: string): ProxyAnswer => ({ kind: 'answer', status, body });
const page = (status: number, title: string, kind: 'answer' | 'answer-after-sap' = 'answer'): ProxyAnswer => ({
  kind,
  status,
  contentType: 'text/html',
  body: `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1><hr><address>a proxy in between</address></body></html>`,
});

/** One kind of answer SAP (or what stands in front of it) gives, on one request of the posting of an order. */
export interface SapCase {
  kind: string;
  /**
   * The request that gets it: the Sales Order create (default), the lookup before it, the read of the line's item, or
   * the login SAP asks for when it drops the session in the middle of the create.
   */
  on?: 'create' | 'lookup' | 'item' | 'login';
  answer: ProxyAnswer;
  /** How many such requests get it (default 1). */
  times?: number;
  expect: Expected;
}

const LONG_MESSAGE = `1320000140 - ${'Die Buchung ist nicht möglich. '.repeat(3_500)}`;

export const SAP_CASES: SapCase[] = [
  {
    kind: '-10 negative inventory (400)',
    answer: json(400, sapError(-10, 'Quantity falls into negative inventory  [DocumentLines.ItemCode][line: 1]')),
    expect: { exception: 'sap-rejected', rawError: /^Quantity falls into negative inventory/ },
  },
  {
    kind: '-10 unknown business partner (400)',
    answer: json(400, sapError(-10, "1320000140 - Invalid BP code 'C-JLM'")),
    expect: { exception: 'business-partner-missing', rawError: /Invalid BP code 'C-JLM'/ },
  },
  {
    kind: '-10 in the v1 shape (code a number, message {lang, value})',
    answer: json(400, sapError(-10, '1470000341 - Fields in document lines must be filled in', 'v1')),
    expect: { exception: 'sap-rejected', rawError: /^1470000341 - Fields in document lines must be filled in$/ },
  },
  {
    kind: '-2028 no matching records (404)',
    answer: json(404, sapError(-2028, 'No matching records found (ODBC -2028)')),
    expect: { exception: 'sap-rejected', rawError: /No matching records found \(ODBC -2028\)/ },
  },
  {
    kind: '-2035 entry already exists (400)',
    answer: json(400, sapError(-2035, 'This entry already exists in the following tables (ODBC -2035)')),
    expect: { exception: 'sap-rejected', rawError: /This entry already exists/ },
  },
  {
    kind: '-1000 invalid property (a user-defined field missing)',
    answer: json(400, sapError(-1000, "Property 'U_JLM_OrderId' of 'Document' is invalid")),
    expect: { exception: 'udf-missing', rawError: /Property 'U_JLM_OrderId' of 'Document' is invalid/ },
  },
  {
    kind: '-5006 action not supported (400)',
    answer: json(400, sapError(-5006, 'The requested action is not supported for this object.')),
    expect: { exception: 'sap-rejected', rawError: /not supported for this object/ },
  },
  {
    kind: '-4014 batch/serial selection incomplete (400)',
    answer: json(400, sapError(-4014, 'Cannot add row without complete selection of batch/serial numbers')),
    expect: { exception: 'sap-rejected', rawError: /complete selection of batch\/serial numbers/ },
  },
  {
    kind: '-2039 another user modified the data (412), once',
    answer: json(412, sapError(-2039, 'Another user or another operation modified data; to continue, open the window again (ODBC -2039)')),
    expect: { accepted: /^posted as one Sales Order \(2 creates sent\)/ },
  },
  {
    kind: '-1116 could not commit the transaction (400), once',
    answer: json(400, sapError(-1116, 'Could not commit transaction: Error -1 detected during transaction')),
    expect: { accepted: /^posted as one Sales Order \(2 creates sent\)/ },
  },
  {
    kind: '244 Content ID missing in a change set (400)',
    answer: json(400, sapError(244, 'Content ID should be specified in each change set request.')),
    expect: { exception: 'sap-rejected', rawError: /Content ID should be specified/ },
  },
  {
    kind: '804 no permission (400)',
    answer: json(400, sapError(804, 'No permission to access this view')),
    expect: { exception: 'sap-rejected', rawError: /No permission/ },
  },
  {
    kind: '-6006 not permitted (as SQLQueries refuse), 400',
    answer: json(400, sapError(-6006, 'Not permitted: the query is not allowed')),
    expect: { exception: 'sap-rejected', rawError: /Not permitted/ },
  },
  {
    kind: '301 session timed out, on the request and on its replay (401)',
    answer: json(401, sapError(301, 'Invalid session or session already timeout.')),
    times: 2,
    expect: { accepted: /^posted as one Sales Order \(3 creates sent\)/ },
  },
  {
    kind: "500 with SAP's error body; nothing created",
    answer: json(500, sapError(-1, 'Internal error')),
    expect: { exception: 'create-outcome-unknown', result: /^posted as one Sales Order \(2 creates sent\)/ },
  },
  {
    kind: 'HTML 502 page from a proxy; SAP never got the create',
    answer: page(502, '502 Bad Gateway'),
    expect: { exception: 'create-outcome-unknown', rawError: /502 Bad Gateway/, result: /^posted as one Sales Order \(2 creates sent\)/ },
  },
  {
    kind: 'HTML 502 page from a proxy after SAP created it',
    answer: page(502, '502 Bad Gateway', 'answer-after-sap'),
    expect: { accepted: /^posted as one Sales Order \(1 create sent; found by lookup\)/ },
  },
  {
    kind: 'HTML page with 200 OK from a proxy instead of SAP’s answer',
    answer: page(200, 'Sign in to continue'),
    expect: { exception: 'create-outcome-unknown', rawError: /Sign in to continue/, result: /^posted as one Sales Order \(2 creates sent\)/ },
  },
  {
    kind: 'answer cut off mid-body (connection closed) after SAP created it',
    answer: { kind: 'cut-connection' },
    expect: { accepted: /^posted as one Sales Order \(1 create sent; found by lookup\)/ },
  },
  {
    kind: 'JSON cut short in a complete HTTP answer after SAP created it',
    answer: { kind: 'cut-body' },
    expect: { accepted: /^posted as one Sales Order \(1 create sent; found by lookup\)/ },
  },
  {
    kind: "200 OK with SAP's error inside",
    answer: json(200, sapError(-10, '1320000126 - Document total is not the same as the sum of the lines')),
    expect: { exception: 'sap-rejected', rawError: /Document total is not the same/, result: /^not posted/ },
  },
  {
    kind: "200 OK with SAP's error inside, on the lookup before the create",
    on: 'lookup',
    answer: json(200, sapError(-1000, "Property 'U_JLM_OrderId' of 'Document' is invalid")),
    expect: { exception: 'udf-missing', result: /^not posted/ },
  },
  {
    kind: "200 OK with SAP's error inside, on the item read",
    on: 'item',
    answer: json(200, sapError(-10, 'Internal error (-10) occurred')),
    expect: { exception: 'sap-rejected', summary: /SAP refused the read of SAP item/, rawError: /Internal error \(-10\) occurred/, result: /^not posted/ },
  },
  {
    kind: 'HTML 404 page from a proxy on the item read',
    on: 'item',
    answer: page(404, '404 Not Found'),
    expect: { accepted: /^posted as one Sales Order \(1 create sent\)/ },
  },
  {
    kind: 'an empty 200 answer to the item read',
    on: 'item',
    answer: json(200, ''),
    expect: { accepted: /^posted as one Sales Order \(1 create sent\)/ },
  },
  {
    kind: '414 page from the web server (a request too long) on the lookup',
    on: 'lookup',
    answer: page(414, '414 Request-URI Too Long'),
    expect: { exception: 'sap-rejected', summary: /SAP refused the look-up/, rawError: /414 Request-URI Too Long/, result: /^not posted/ },
  },
  {
    kind: "the login SAP asks for in the middle of posting, answered by a proxy's sign-in page (HTTP 403)",
    on: 'login',
    answer: page(403, 'Access denied: sign in to the proxy'),
    expect: { accepted: /^posted as one Sales Order/ },
  },
  {
    kind: 'a 100,000-character error message',
    answer: json(400, sapError(-10, LONG_MESSAGE)),
    expect: { exception: 'sap-rejected', rawError: /^1320000140 - Die Buchung.*characters in all\)$/ },
  },
];

const ORDINARY_ITEMS = Array.from({ length: 200 }, (_, i) => i + 1)
  .filter((n) => n % 25 && n % 40 && n % 20 && n % 15)
  .map((n) => `SKU${String(n).padStart(6, '0')}`);

/**
 * The real clock, with a hand that jumps: job backoffs and settle times pass at once, network timers stay real. A jump
 * is time passing, not a person setting the clock, so the clock nobody sets (which settle times follow) jumps too.
 */
function jumpingClock(): Clock & { jump(ms: number): void } {
  const real = systemClock();
  let offset = 0;
  return { ...real, now: () => Date.now() + offset, monotonic: () => performance.now() + offset, jump: (ms) => void (offset += ms) };
}

/**
 * Posts one order per case through a proxy that gives its answer to the request the case names, beside a sound order
 * that must post whatever the others meet; then lets the engine's own retries, lookups and settle times play out.
 */
export async function runSapCases(cases: readonly SapCase[] = SAP_CASES): Promise<Outcome[]> {
  const sap = await startSapEmulator({ seed: { items: 200, warehouses: 2 }, etags: true });
  const jl = await startMarketplaceEmulator({ config: { debitDelayMs: null } });
  const proxy = await startProxy(sap.url);
  const tmp = tempDir('hostile-sap-');
  const clock = jumpingClock();
  let engine: Engine | null = null;
  const make = (file: string) =>
    createOrdersEngine({ sapUrl: proxy.url, marketplaceUrl: jl.url, marketplaceKey: jl.apiKey, ledgerFile: tmp.file(file), clock, sapTimeoutSeconds: 3 });
  try {
    const setup = make('setup.db');
    await setup.command('orders.preflight', { createFields: true, actor: 'hostile-input suite' });
    await setup.stop();
    sap.state.userTables.get('JLM_LEASE')?.rows.clear();
    engine = make('orders.db');

    const skus = cases.map((_, i) => ORDINARY_ITEMS[i + 1]!);
    const [control] = jl.admin.createOrders({ count: 1, skus: [ORDINARY_ITEMS[0]!] });
    const created = cases.map((_, i) => jl.admin.createOrders({ count: 1, skus: [skus[i]!] })[0]!);
    await engine.runOnce();
    jl.admin.debitOrders();
    for (const [i, c] of cases.entries()) {
      const id = created[i]!.orderId;
      const on = c.on ?? 'create';
      const rule: ProxyRule =
        on === 'create'
          ? { method: 'POST', path: /^Orders$/, mentions: `"${id}"`, times: c.times ?? 1, answer: c.answer }
          : on === 'lookup'
            ? { method: 'GET', path: /^Orders\?/, mentions: `'${id}'`, times: c.times ?? 1, answer: c.answer }
            : on === 'item'
              ? { method: 'GET', path: /^Items\(/, mentions: `'${skus[i]}'`, times: c.times ?? 1, answer: c.answer }
              : // SAP drops the session as the create arrives, so the connector logs in again: that login gets the answer.
                {
                  method: 'POST',
                  path: /^Orders$/,
                  mentions: `"${id}"`,
                  times: 1,
                  answer: json(401, sapError(301, 'Invalid session or session already timeout.')),
                  then: { method: 'POST', path: /^Login$/, times: c.times ?? 1, answer: c.answer },
                };
      proxy.add(rule);
    }
    const runs = [];
    // The posting run, then later runs past every backoff and settle time: what is still open then stays open.
    for (let n = 0; n < 4; n++) {
      runs.push(...(await engine.runOnce()));
      clock.jump(3 * 60 * 60_000);
    }

    const exceptions = (await engine.query('exceptions.list', { limit: 500 })).rows;
    const salesOrders = (orderId: string) => [...sap.state.documents.Orders.values()].filter((d) => d.U_JLM_OrderId === orderId).length;
    const crashed = runs.some((r) => r.error && /TypeError|ReferenceError|RangeError|DecimalError|SyntaxError|Cannot read|is not a function/.test(r.error));
    const othersWentOn = salesOrders(control!.orderId) === 1 && !crashed;
    const out: Outcome[] = [];
    for (const [i, c] of cases.entries()) {
      const o = created[i]!;
      const seen: ExceptionSeen[] = exceptions
        .filter((e) => e.record.type === 'order' && e.record.key === o.orderId)
        .sort((a, b) => Number(b.state === 'open') - Number(a.state === 'open'))
        .map((e) => ({
          type: e.type,
          severity: e.severity,
          state: e.state,
          summary: anonymise(e.summary, o),
          rawError: e.rawError && anonymise(e.rawError, o),
        }));
      const docs = salesOrders(o.orderId);
      const creates = proxy.seen(`"${o.orderId}"`)['POST Orders'] ?? 0;
      const timeline = (await engine.query('orders.get', { orderId: o.orderId }))!;
      const found = timeline.events.some((e) => /found by lookup|Found in SAP/.test(e.summary));
      const sent = `${creates} create${creates === 1 ? '' : 's'} sent${found ? '; found by lookup' : ''}`;
      const result = docs === 1 ? `posted as one Sales Order (${sent})` : docs > 1 ? `posted as ${docs} Sales Orders (${sent})` : `not posted (${sent})`;
      out.push({
        side: 'SAP answer',
        kind: `${c.kind}${c.on && c.on !== 'create' ? '' : ', on the Sales Order create'}`,
        exceptions: seen,
        result,
        othersWentOn,
      });
    }
    return out;
  } finally {
    await engine?.stop();
    await proxy.stop();
    await Promise.all([sap.stop(), jl.stop()]);
    tmp.cleanup();
  }
}
