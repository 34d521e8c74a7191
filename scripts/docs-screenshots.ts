import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { ledgerRuntimeProblem } from '../electron/engine';
import { HostConfigSchema } from '../electron/host/config';
import { startHost, type Host } from '../electron/host/run-host';
import { startSapEmulator, DEFAULTS as SAP_DEFAULTS, type SapEmulator } from '../emulators/sap-b1';
import { startMarketplaceEmulator, type MarketplaceEmulator } from '../emulators/john-lewis';
import type { FlowName } from '../shared/domain/flows';
import type { SecretName } from '../shared/domain/settings';
import { launchChromium } from '../test/support/browser';

/**
 * `npm run docs:screenshots`: the handbook's pictures, taken from the console on its sandbox so they show what the
 * product shows today. Both emulators start with demo data, the engine behind the headless host is walked through a
 * short trading week (orders posted, despatched with a carrier nobody mapped, invoiced, returned, refunded, a payout
 * read and reconciled), then Debian's Chromium opens each screen the handbook shows and writes a PNG into
 * docs/images/. Everything the script starts it stops, and the whole run is bounded by a deadline.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'docs/images');
/** A desktop window's size, light theme, one device pixel per CSS pixel: small files that read well on a page. */
const VIEWPORT = { width: 1440, height: 900 };
/** Space kept around a photographed part of a screen. */
const MARGIN = 8;
const OPERATOR = 'Sam Patel';
/** The whole run, setup and pictures, never takes longer than this. */
const DEADLINE_MS = 8 * 60_000;
/** The standard flows over connectors without the marketplace's published call maxima (OR11 once a minute would stall the walk). */
const FLOWS_MODULE = path.join(ROOT, 'test/e2e/standard-flows.ts');

interface World {
  host: Host;
  sap: SapEmulator;
  jl: MarketplaceEmulator;
  /** The order accepted by a person whose SKU SAP does not know: blocked before its Sales Order. */
  blockedOrder: string;
  /** The order despatched with a carrier the mapping does not know. */
  yodelOrder: string;
  /** The billing cycle with a variance, and the one posted to SAP. */
  cycleWithVariance: string;
  postedCycle: string;
  /** A SKU whose breakdown the stock picture shows. */
  sku: string;
}

/** One picture: which file, and how to get there (the element to photograph, or null for the window as it is). */
interface Shot {
  file: string;
  /** A wider window for a screen whose table would otherwise scroll sideways. */
  width?: number;
  take(page: Page, world: World, consoleUrl: string): Promise<Locator | null>;
}

const cleanups: (() => Promise<unknown>)[] = [];
const stopAll = async () => {
  while (cleanups.length) await cleanups.pop()!().catch((e: unknown) => console.error('while stopping:', e));
};

function secrets(values: Partial<Record<SecretName, string>>) {
  const map = new Map(Object.entries(values) as [SecretName, string][]);
  return {
    get: async (n: SecretName) => map.get(n),
    set: async (n: SecretName, v: string) => void map.set(n, v),
    delete: async (n: SecretName) => void map.delete(n),
  };
}

async function buildWorld(dataDir: string): Promise<World> {
  const sap = await startSapEmulator({ https: true, seed: { items: 40, warehouses: 3, notNettable: 1 } });
  cleanups.push(() => sap.stop());
  // Stock imports and offer exports are ready at once; customers are debited when the walk says so.
  const jl = await startMarketplaceEmulator({
    config: { debitDelayMs: null, importWaitMs: 0, importRunMs: 0, exportReadyMs: 0, alternativeCarriersDisabled: false },
  });
  cleanups.push(() => jl.stop());
  const skus = [...sap.state.items.keys()];
  jl.admin.seedOffers([
    ...skus.map((sku, i) => ({ sku, quantity: 10 + ((i * 7) % 30), price: `${(9.99 + (i % 12) * 5).toFixed(2)}`, taxes: ['standard' as const] })),
    // Sold on the marketplace, unknown to SAP.
    { sku: 'JL-GIFTBOX-01', quantity: 5, price: '12.00', taxes: ['standard' as const] },
  ]);
  const returnsWarehouse = [...sap.state.warehouses.values()].find((w) => w.Nettable === 'tNO')!.WarehouseCode as string;
  const on = (cadenceSeconds: number) => ({ enabled: true, cadenceSeconds });
  const config = HostConfigSchema.parse({
    console: { port: 0 },
    settings: {
      role: 'operations',
      sap: { baseUrl: sap.url, companyDb: SAP_DEFAULTS.company, userName: SAP_DEFAULTS.user, pinnedCertificate: sap.certificate ?? null },
      marketplace: { baseUrl: jl.url },
      // The default cadences, every flow switched on; the timers start only once the walk below is done.
      flows: { health: on(60), orders: on(60), stock: on(120), despatch: on(300), invoicing: on(900), returns: on(900), settlement: on(21_600) },
      // Went live yesterday; an order that cannot be accepted by itself waits for a person (the default).
      orders: { ordersFrom: new Date(Date.now() - 24 * 60 * 60_000).toISOString(), warehousePriority: ['01', '02'] },
      stock: { warehouses: { include: [], exclude: [] }, buffer: 1 },
      returns: { warehouse: returnsWarehouse },
      settlement: { posting: { enabled: true, supplierCode: 'S-JLM', feeAccount: '5400', inputVatGroup: 'I1', bankAccount: '1250' } },
    },
  });
  const host = await startHost({
    config: { ...config, dataDir },
    serveConsole: true,
    secrets: secrets({ 'sap.password': SAP_DEFAULTS.password, 'marketplace.apiKey': jl.apiKey }),
    flows: { module: FLOWS_MODULE },
  });
  cleanups.push(() => host.stop());
  const engine = host.engine;
  const run = async (flow: FlowName) => {
    engine.runNow(flow);
    await engine.idle();
  };
  const actor = { actor: OPERATOR };
  await engine.command('orders.preflight', { createFields: true, ...actor });
  await engine.command('despatch.saveMapping', { sapCarrier: 'Royal Mail', carrierCode: 'ROYAL_MAIL', ...actor });
  await engine.command('despatch.saveMapping', { sapCarrier: 'DPD', carrierCode: 'DPD', ...actor });
  await run('health');
  await run('stock');

  /** Orders taken, debited and posted as Sales Orders. */
  const postedOrders = async (count: number, orderSkus: string[]) => {
    const created = jl.admin.createOrders({ count, skus: orderSkus, linesPerOrder: Math.min(2, orderSkus.length), quantities: [1, 2] });
    await run('orders');
    jl.admin.debitOrders(created.map((c) => c.orderId));
    await run('orders');
    await run('orders');
    return Promise.all(
      created.map(async (c) => {
        const numAtCard = (await engine.query('orders.get', { orderId: c.orderId }))!.order.numAtCard!;
        return { orderId: c.orderId, numAtCard, lines: c.lines };
      }),
    );
  };
  const despatchInSap = (numAtCard: string, carrier: string, trackingNumber: string) => sap.despatch({ numAtCard, carrier, trackingNumber });

  // Week one: four orders despatched with Royal Mail and DPD, invoiced; one refunded from the back office; the payout
  // is read, ties out, matches SAP line for line, and is posted.
  const first = await postedOrders(4, skus.slice(0, 6));
  first.forEach((o, i) => despatchInSap(o.numAtCard, i % 2 ? 'DPD' : 'Royal Mail', i % 2 ? `1550123456789${i}` : `RM10000000${i}GB`));
  await run('despatch');
  await engine.command('invoicing.runNow', actor);
  await engine.idle();
  jl.admin.chargeSubscription({ net: '35.00' });
  const postedCycle = jl.admin.closeBillingCycle()!.billingCycleId;
  await run('settlement');
  await engine.command('payouts.post', { cycleIds: [postedCycle], ...actor });

  // Week two: more orders; one returned and on its way back, one returned, received and credited, one refunded in part;
  // one invoice changed by hand in SAP.
  const second = await postedOrders(5, skus.slice(6, 14));
  second.forEach((o, i) => despatchInSap(o.numAtCard, i % 2 ? 'DPD' : 'Royal Mail', i % 2 ? `1550987654321${i}` : `RM20000000${i}GB`));
  await run('despatch');
  await engine.command('invoicing.runNow', actor);
  await engine.idle();
  const returned = second[0]!;
  const { returnId } = jl.admin.createReturn({ orderId: returned.orderId, reasonCode: 'RETURN_CHANGED_MIND' });
  await run('returns');
  jl.admin.customerSendsReturn(returnId, { carrierCode: 'ROYAL_MAIL', trackingNumber: 'RR300000001GB' });
  await run('returns');
  const back = jl.admin.createReturn({ orderId: second[3]!.orderId, reasonCode: 'RETURN_DEFECTIVE_ITEM' }).returnId;
  await run('returns');
  jl.admin.customerSendsReturn(back, { carrierCode: 'ROYAL_MAIL', trackingNumber: 'RR300000002GB' });
  await engine.command('returns.markReceived', { returnIds: [back], ...actor });
  await run('returns');
  const reason = (label: string) => jl.state.config.reasons.REFUND?.find((r) => r.label === label)?.code;
  jl.admin.refundFromBackOffice({ returnId: back, reasonCode: reason('Item returned') });
  const partly = second[1]!;
  jl.admin.refundFromBackOffice({
    orderId: partly.orderId,
    lines: [{ orderLineId: partly.lines[0]!.orderLineId, amount: '5.00' }],
    reasonCode: reason('Agreement found with the vendor'),
  });
  await run('orders');
  await run('returns');
  jl.admin.completeRefunds();
  // An A/R Invoice changed by hand in SAP: 2p more VAT than the marketplace pays.
  const changed = [...sap.state.documents.Invoices.values()].find((d) => d.U_JLM_OrderId === second[2]!.orderId)!;
  changed.DocTotal = Number(changed.DocTotal) + 0.02;
  changed.VatSum = Number(changed.VatSum) + 0.02;
  const cycleWithVariance = jl.admin.closeBillingCycle()!.billingCycleId;
  await engine.command('payouts.reconcile', actor);
  await engine.idle();

  // Today: two orders for a SKU SAP does not know, held for a person; one accepted by that person, so it stops at its
  // Sales Order; one despatched with Yodel (no mapping); one still to pick.
  const [blocked] = jl.admin.createOrders({ count: 2, skus: ['JL-GIFTBOX-01'], quantities: [1] });
  await run('orders');
  await engine.command('orders.decide', { orderId: blocked!.orderId, decision: 'accept', ...actor });
  await run('orders');
  const today = await postedOrders(3, skus.slice(14, 20));
  jl.admin.debitOrders([blocked!.orderId]);
  await run('orders');
  despatchInSap(today[0]!.numAtCard, 'Royal Mail', 'RM300000001GB');
  despatchInSap(today[1]!.numAtCard, 'Yodel', 'JD0002219999999999');
  await run('despatch');
  await run('stock');
  await run('health');
  await engine.start();
  await engine.idle();
  return {
    host,
    sap,
    jl,
    blockedOrder: blocked!.orderId,
    yodelOrder: today[1]!.orderId,
    cycleWithVariance,
    postedCycle,
    sku: today[2]!.lines[0]!.sku,
  };
}

/** Opens a screen by its address and waits until nothing on it says "Loading". */
async function open(page: Page, consoleUrl: string, address: string): Promise<void> {
  await page.goto(`${consoleUrl}#/${address}`);
  await settle(page);
}

async function settle(page: Page): Promise<void> {
  // Detached: no element says "Loading" any more.
  await page.locator('.loading').first().waitFor({ state: 'detached', timeout: 15_000 });
  // Rows dim for a moment while a newer answer is on its way: let it land.
  await page.waitForTimeout(400);
}

const SHOTS: Shot[] = [
  { file: 'overview.png', take: async (page, _w, url) => (await open(page, url, 'overview'), null) },
  {
    file: 'exceptions.png',
    async take(page, w, url) {
      await open(page, url, 'exceptions');
      await page.getByRole('row', { name: new RegExp(`SKU unknown.*${w.blockedOrder}`) }).click();
      await page.getByTestId('exception-detail').getByTestId('fix-in-place').waitFor();
      await settle(page);
      return null;
    },
  },
  { file: 'orders.png', take: async (page, _w, url) => (await open(page, url, 'orders'), null) },
  {
    file: 'sap-company-check.png',
    async take(page, _w, url) {
      await open(page, url, 'orders');
      await page.getByRole('button', { name: 'Orders settings' }).click();
      await page.getByRole('button', { name: 'Check SAP company' }).click();
      const check = page.getByRole('region', { name: 'SAP company check' });
      await check.getByRole('table', { name: 'SAP company checks' }).waitFor();
      return check;
    },
  },
  { file: 'despatch.png', take: async (page, _w, url) => (await open(page, url, 'despatch'), null) },
  {
    file: 'carrier-mapping.png',
    async take(page, _w, url) {
      await open(page, url, 'despatch');
      const section = page.getByRole('region', { name: 'Carrier mapping section' });
      await section.scrollIntoViewIfNeeded();
      return section;
    },
  },
  {
    file: 'despatch-correction.png',
    async take(page, w, url) {
      await open(page, url, `despatch/${w.yodelOrder}`);
      const form = page.getByRole('region', { name: 'Despatch correction' });
      await form.waitFor();
      return form;
    },
  },
  { file: 'returns.png', take: async (page, _w, url) => (await open(page, url, 'returns'), null) },
  {
    file: 'invoicing.png',
    async take(page, _w, url) {
      await open(page, url, 'invoicing');
      await page.getByRole('row').nth(1).click();
      await page.getByTestId('batch-detail').waitFor();
      await settle(page);
      return null;
    },
  },
  { file: 'payouts.png', take: async (page, _w, url) => (await open(page, url, 'payouts'), null) },
  {
    file: 'payout-cycle.png',
    width: 1720,
    async take(page, w, url) {
      await open(page, url, `payouts/${w.cycleWithVariance}`);
      const detail = page.getByTestId('cycle-detail');
      await detail.getByTestId('payout-totals').waitFor();
      await detail.getByRole('button', { name: 'Amount differs' }).click();
      await settle(page);
      return detail;
    },
  },
  {
    file: 'settlement-settings.png',
    async take(page, _w, url) {
      await open(page, url, 'payouts');
      await page.getByRole('button', { name: 'Settlement settings' }).click();
      const form = page.getByRole('form', { name: 'Settlement settings' });
      await form.waitFor();
      return form;
    },
  },
  {
    file: 'stock-breakdown.png',
    async take(page, w, url) {
      await open(page, url, `stock/${encodeURIComponent(w.sku)}`);
      const breakdown = page.getByRole('region', { name: 'SKU breakdown' });
      await breakdown.getByTestId('stock-breakdown').waitFor();
      await breakdown.scrollIntoViewIfNeeded();
      return breakdown;
    },
  },
  {
    file: 'shop-profile.png',
    async take(page, _w, url) {
      await open(page, url, 'connections');
      const section = page.getByRole('region', { name: 'John Lewis Marketplace' });
      await section.getByRole('button', { name: 'Test connection' }).click();
      const profile = page.getByTestId('shop-profile');
      await profile.waitFor({ timeout: 15_000 });
      return profile;
    },
  },
  {
    file: 'flow-schedules.png',
    async take(page, _w, url) {
      await open(page, url, 'settings');
      return page.getByRole('table', { name: 'Flow schedules' });
    },
  },
];

/**
 * One part of a screen, with a little of the page around it. A part taller than the window is taken with the window
 * made taller for it (the console scrolls inside its own frame, so a picture pieced together while scrolling would have
 * the header across it).
 */
async function photographPart(page: Page, target: Locator, file: string): Promise<void> {
  const first = await target.boundingBox();
  if (!first) throw new Error(`${path.basename(file)}: the part to photograph is not on the screen`);
  const screen = page.viewportSize()!;
  const tall = first.height + 200 > screen.height;
  if (tall) await page.setViewportSize({ width: screen.width, height: Math.ceil(first.height) + 240 });
  try {
    await target.scrollIntoViewIfNeeded();
    await page.waitForTimeout(100);
    const box = (await target.boundingBox())!;
    const view = page.viewportSize()!;
    const x = Math.max(0, box.x - MARGIN);
    const y = Math.max(0, box.y - MARGIN);
    const clip = { x, y, width: Math.min(view.width - x, box.width + 2 * MARGIN), height: Math.min(view.height - y, box.height + 2 * MARGIN) };
    await page.screenshot({ path: file, clip, animations: 'disabled' });
  } finally {
    if (tall) await page.setViewportSize(screen);
  }
}

async function takeShots(world: World, browser: Browser): Promise<void> {
  const consoleUrl = world.host.server!.consoleUrl;
  // A UK office PC: dates as 30/11/2026, times in UK time.
  const context = await browser.newContext({
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    colorScheme: 'light',
    reducedMotion: 'reduce',
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The operator's name, once: the console keeps it on this computer.
  await page.goto(consoleUrl);
  await page.getByLabel('Your name').fill(OPERATOR);
  await page.getByRole('button', { name: 'Save name' }).click();
  mkdirSync(OUT, { recursive: true });
  for (const shot of SHOTS) {
    await page.setViewportSize({ ...VIEWPORT, width: shot.width ?? VIEWPORT.width });
    const target = await shot.take(page, world, consoleUrl);
    const file = path.join(OUT, shot.file);
    if (target) await photographPart(page, target, file);
    else await page.screenshot({ path: file, animations: 'disabled' });
    console.log(`${shot.file.padEnd(28)} ${Math.round(statSync(file).size / 1024)} KB`);
  }
  await context.close();
  if (errors.length) throw new Error(`The console raised script errors:\n${errors.join('\n')}`);
}

async function main(): Promise<number> {
  const problem = ledgerRuntimeProblem();
  if (problem) {
    console.error(problem);
    return 3;
  }
  const deadline = setTimeout(() => {
    console.error(`docs:screenshots: not done after ${DEADLINE_MS / 60_000} minutes; stopping everything it started.`);
    void stopAll().finally(() => process.exit(1));
  }, DEADLINE_MS);
  deadline.unref();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'docs-screenshots-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  try {
    console.log('Walking the sandbox through a trading week…');
    const world = await buildWorld(dataDir);
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    await takeShots(world, browser);
    // Pictures the script no longer takes would go stale on the page: say so.
    const stale = readdirSync(OUT).filter((f) => f.endsWith('.png') && !SHOTS.some((s) => s.file === f));
    if (stale.length) console.warn(`Not taken by this script (delete them, or add them here): ${stale.join(', ')}`);
    return 0;
  } finally {
    clearTimeout(deadline);
    await stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
