import { asObject, fail, ok, type Ctx, type Reply } from './http';
import { d, money } from './money';
import type { EmuExport, EmuOffer } from './model';
import { VAT_REDUCED, VAT_STANDARD, VAT_ZERO, type EmulatorState } from './state';

export interface SeedOffer {
  sku: string;
  quantity?: number;
  price?: string;
  productSku?: string;
  title?: string;
  /** Tax codes: 'standard' (20 %), 'reduced' (5 %), 'zero' (0 %); several allowed. Default: standard. */
  taxes?: ('standard' | 'reduced' | 'zero')[];
}

const TAX = { standard: VAT_STANDARD, reduced: VAT_REDUCED, zero: VAT_ZERO };

export function seedOffers(state: EmulatorState, offers: SeedOffer[]): EmuOffer[] {
  return offers.map((o) => {
    const existing = state.offers.get(o.sku);
    const offer: EmuOffer = {
      offerId: existing?.offerId ?? state.nextId(),
      sku: o.sku,
      productSku: o.productSku ?? existing?.productSku ?? `JL${String(10_000_000 + state.offers.size + 1)}`,
      title: o.title ?? existing?.title ?? `Product ${o.sku}`,
      price: d(o.price ?? existing?.price.toFixed(2) ?? '24.00'),
      quantity: o.quantity ?? existing?.quantity ?? 0,
      warehouses: existing?.warehouses ?? new Map(),
      taxes: (o.taxes ?? ['standard']).map((t) => TAX[t]),
      active: true,
      lastUpdatedMs: state.clock.now(),
    };
    state.offers.set(o.sku, offer);
    return offer;
  });
}

export function offerJson(state: EmulatorState, o: EmuOffer) {
  return {
    offer_id: o.offerId,
    shop_sku: o.sku,
    product_sku: o.productSku,
    product_title: o.title,
    quantity: o.quantity,
    warehouses: [...o.warehouses].map(([code, quantity]) => ({ code, quantity })),
    price: money(o.price),
    total_price: money(o.price),
    currency_iso_code: state.config.currency,
    active: o.active && o.quantity > 0,
    inactivity_reasons: o.quantity > 0 ? [] : ['ZERO_QUANTITY'],
    state_code: '11',
    leadtime_to_ship: 2,
    product_references: [{ reference: o.productSku, reference_type: 'SHOP_SKU' }],
  };
}

/** OF21: offset paging, max 100, optional sku filter. */
export function listOffers(ctx: Ctx): Reply {
  const max = Number(ctx.query.get('max') ?? '10');
  const offset = Number(ctx.query.get('offset') ?? '0');
  if (!Number.isInteger(max) || max < 1 || max > 100) return fail(400, 'max must be between 1 and 100');
  const sku = ctx.query.get('sku');
  const all = [...ctx.state.offers.values()].filter((o) => !sku || o.sku === sku);
  return ok({ offers: all.slice(offset, offset + max).map((o) => offerJson(ctx.state, o)), total_count: all.length });
}

/**
 * OF52's CSV columns (its request example's include_fields, header names as the CSV has them) and what the emulator
 * fills each with; the ones it has no data for are empty.
 */
const CSV_FIELDS: Record<string, ((state: EmulatorState, o: EmuOffer) => string) | null> = {
  active: (_s, o) => String(o.active && o.quantity > 0),
  'allow-quote-requests': () => 'false',
  'available-end-date': null,
  'available-start-date': null,
  channels: null,
  'currency-iso-code': (s) => s.config.currency,
  'date-created': null,
  deleted: () => 'false',
  description: null,
  'discount-end-date': null,
  'discount-price': null,
  'discount-ranges': null,
  'discount-start-date': null,
  'favorite-rank': null,
  'fulfillment-center-code': null,
  'leadtime-to-ship': () => '2',
  'logistic-class': null,
  'measurement-units': null,
  'min-shipping-price': null,
  'min-shipping-price-additional': null,
  'min-shipping-type': null,
  'min-shipping-zone': null,
  'offer-id': (_s, o) => String(o.offerId),
  'origin-price': (_s, o) => o.price.toFixed(2),
  premium: () => 'false',
  price: (_s, o) => o.price.toFixed(2),
  'price-additional-info': null,
  'price-ranges': null,
  'product-sku': (_s, o) => o.productSku,
  professional: () => 'false',
  quantity: (_s, o) => String(o.quantity),
  'shop-id': null,
  'shop-name': null,
  'shop-sku': (_s, o) => o.sku,
  'state-code': () => '11',
  'total-price': (_s, o) => o.price.toFixed(2),
  'ongoing-discount-campaigns': null,
};
const DEFAULT_CSV_FIELDS = [
  'offer-id',
  'shop-sku',
  'product-sku',
  'quantity',
  'price',
  'total-price',
  'currency-iso-code',
  'active',
  'state-code',
  'leadtime-to-ship',
];
const MB = 1024 * 1024;
/** Exports kept for their files to be downloaded: older ones are gone, as on the marketplace after a while. */
const EXPORTS_KEPT = 10;

const intIn = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/**
 * OF52: starts an export of the offers (changed since last_request_date, or every active one — inactive ones too with
 * include_inactive_offers, which a differential export refuses), as CSV (the default: semicolon-separated, every field
 * quoted) or JSON, with only the include_fields asked for, in files of at most items_per_chunk offers and
 * megabytes_per_chunk megabytes. The files are generated now; OF53 says COMPLETED after exportReadyMs; OF54 serves them.
 */
export function startExport(ctx: Ctx): Reply {
  const b = asObject(ctx.body);
  const since = typeof b.last_request_date === 'string' ? Date.parse(b.last_request_date) : null;
  if (since !== null && Number.isNaN(since)) return fail(400, 'last_request_date is not a date-time');
  if (since !== null && b.include_inactive_offers !== undefined)
    return fail(400, 'include_inactive_offers cannot be used with last_request_date (differential mode)');
  const type = b.export_type ?? 'text/csv';
  if (type !== 'text/csv' && type !== 'application/json') return fail(400, `export_type must be text/csv or application/json, not ${String(type)}`);
  if (b.items_per_chunk !== undefined && !intIn(b.items_per_chunk, ctx.state.config.exportMinItemsPerChunk, 1_000_000))
    return fail(400, `items_per_chunk must be a whole number from ${ctx.state.config.exportMinItemsPerChunk} to 1000000`);
  if (b.megabytes_per_chunk !== undefined && !intIn(b.megabytes_per_chunk, 10, 1_000))
    return fail(400, 'megabytes_per_chunk must be a whole number from 10 to 1000');
  const include = Array.isArray(b.include_fields) ? b.include_fields.filter((f): f is string => typeof f === 'string') : null;
  if (type === 'text/csv' && include) {
    const unknown = include.filter((f) => !(f in CSV_FIELDS));
    if (unknown.length) return fail(400, `Unknown field(s) in include_fields: ${unknown.join(', ')}`);
  }
  const offers = [...ctx.state.offers.values()].filter((o) =>
    since !== null ? o.lastUpdatedMs >= since : b.include_inactive_offers === true || (o.active && o.quantity > 0),
  );
  const items = typeof b.items_per_chunk === 'number' ? b.items_per_chunk : Infinity;
  const bytes = (typeof b.megabytes_per_chunk === 'number' ? b.megabytes_per_chunk : 100) * MB;
  const id = ctx.state.uuid();
  const files =
    type === 'text/csv' ? csvFiles(ctx.state, offers, include ?? DEFAULT_CSV_FIELDS, items, bytes) : jsonFiles(ctx.state, offers, include, items, bytes);
  ctx.state.exports.set(id, { id, createdMs: ctx.state.clock.now(), since, files });
  for (const old of [...ctx.state.exports.keys()].slice(0, -EXPORTS_KEPT)) ctx.state.exports.delete(old);
  return ok({ tracking_id: id });
}

const quoted = (v: string) => `"${v.replace(/"/g, '""')}"`;

function csvFiles(state: EmulatorState, offers: EmuOffer[], fields: string[], items: number, bytes: number): EmuExport['files'] {
  const header = `${fields.map(quoted).join(';')}\n`;
  const files: EmuExport['files'] = [];
  let lines: string[] = [];
  let size = header.length;
  const close = () => {
    files.push({ name: `offers/${files.length}.csv`, contentType: 'text/csv', body: header + lines.join('') });
    lines = [];
    size = header.length;
  };
  for (const o of offers) {
    const line = `${fields.map((f) => quoted(CSV_FIELDS[f]?.(state, o) ?? '')).join(';')}\n`;
    if (lines.length && (lines.length >= items || size + line.length > bytes)) close();
    lines.push(line);
    size += line.length;
  }
  if (lines.length || files.length === 0) close();
  return files;
}

function jsonFiles(state: EmulatorState, offers: EmuOffer[], include: string[] | null, items: number, bytes: number): EmuExport['files'] {
  const files: EmuExport['files'] = [];
  let rows: string[] = [];
  let size = 2;
  const close = () => {
    files.push({ name: `offers/${files.length}.json`, contentType: 'application/json', body: `[${rows.join(',')}]` });
    rows = [];
    size = 2;
  };
  for (const o of offers) {
    const full = offerJson(state, o) as Record<string, unknown>;
    const row = JSON.stringify(include ? Object.fromEntries(include.filter((f) => f in full).map((f) => [f, full[f]])) : full);
    if (rows.length && (rows.length >= items || size + row.length + 1 > bytes)) close();
    rows.push(row);
    size += row.length + 1;
  }
  if (rows.length || files.length === 0) close();
  return files;
}

export function exportStatus(ctx: Ctx): Reply {
  const exp = ctx.state.exports.get(ctx.params.tracking_id ?? '');
  if (!exp) return fail(404, `Export ${ctx.params.tracking_id} not found`);
  const ready = ctx.state.clock.now() >= exp.createdMs + ctx.state.config.exportReadyMs;
  return ok({
    status: ready ? 'COMPLETED' : 'PENDING',
    last_updated: ctx.state.clock.iso(),
    ...(ready ? { urls: exp.files.map((f) => `${ctx.baseUrl}/api/offers/export/async/file/${exp.id}?file=${encodeURIComponent(f.name)}`) } : {}),
  });
}

/** OF54: one file of a completed export. */
export function exportFile(ctx: Ctx): Reply {
  const exp = ctx.state.exports.get(ctx.params.tracking_id ?? '');
  const file = exp?.files.find((f) => f.name === ctx.query.get('file'));
  if (!exp || !file || ctx.state.clock.now() < exp.createdMs + ctx.state.config.exportReadyMs) return fail(404, 'Export file not found');
  return { status: 200, text: file.body, contentType: file.contentType };
}
