import { asObject, fail, ok, type Ctx, type Reply } from './http';
import { d, money } from './money';
import type { EmuOffer } from './model';
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

/** OF52: starts an export; OF53 reports it; OF54 serves its file. */
export function startExport(ctx: Ctx): Reply {
  const b = asObject(ctx.body);
  const since = typeof b.last_request_date === 'string' ? Date.parse(b.last_request_date) : null;
  const id = ctx.state.uuid();
  ctx.state.exports.set(id, { id, createdMs: ctx.state.clock.now(), since });
  return ok({ tracking_id: id });
}

export function exportStatus(ctx: Ctx): Reply {
  const exp = ctx.state.exports.get(ctx.params.tracking_id ?? '');
  if (!exp) return fail(404, `Export ${ctx.params.tracking_id} not found`);
  const ready = ctx.state.clock.now() >= exp.createdMs + ctx.state.config.exportReadyMs;
  return ok({
    status: ready ? 'COMPLETED' : 'PENDING',
    last_updated: ctx.state.clock.iso(),
    ...(ready ? { urls: [`${ctx.baseUrl}/api/offers/export/async/file/${exp.id}?file=offers/0.json`] } : {}),
  });
}

export function exportFile(ctx: Ctx): Reply {
  const exp = ctx.state.exports.get(ctx.params.tracking_id ?? '');
  if (!exp) return fail(404, 'Export file not found');
  const offers = [...ctx.state.offers.values()].filter((o) => exp.since === null || o.lastUpdatedMs >= exp.since);
  return ok(offers.map((o) => offerJson(ctx.state, o)));
}
