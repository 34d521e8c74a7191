import type { Clock } from '../../ports';
import type { Offer, OfferQuery, Page, Raw } from '../ports/marketplace';
import type { MiraklClient } from './client';
import { MarketplaceError } from './errors';
import { arr, bool, dec, int, obj, str } from './read';

export function toOffer(o: Raw): Offer {
  return {
    offerId: str(o.offer_id),
    sku: str(o.shop_sku) ?? str(o['shop-sku']) ?? str(o.offer_sku),
    productSku: str(o.product_sku) ?? str(o['product-sku']),
    quantity: int(o.quantity),
    price: dec(o.price),
    active: bool(o.active),
    stateCode: str(o.state_code) ?? str(o['state-code']),
    raw: o,
  };
}

export async function listOffers(client: MiraklClient, query: OfferQuery = {}): Promise<Page<Offer>> {
  const { body } = await client.ok({
    operation: 'OF21',
    method: 'GET',
    path: '/api/offers',
    idempotent: true,
    params: { sku: query.sku, offset: query.offset ?? 0, max: Math.min(100, query.max ?? 100) },
  });
  const b = obj(body);
  return { items: arr(b.offers).map(toOffer), totalCount: int(b.total_count) };
}

const POLL_MS = 10_000;

/** OF52 starts an export, OF53 reports it, OF54 downloads its files (only from the marketplace's own host). */
export async function exportOffers(client: MiraklClient, clock: Clock, options: { changedSince?: string; timeoutMs?: number } = {}): Promise<Offer[]> {
  const { body } = await client.ok({
    operation: 'OF52',
    governorKey: options.changedSince ? 'OF52' : 'OF52-full',
    method: 'POST',
    path: '/api/offers/export/async',
    idempotent: false,
    // Starting an export changes nothing on the marketplace, so dry run may send it.
    data: { export_type: 'application/json', include_inactive_offers: true, last_request_date: options.changedSince },
  });
  const trackingId = str(obj(body).tracking_id);
  if (!trackingId) throw new MarketplaceError('OF52', 200, 'OF52 returned no tracking_id', JSON.stringify(body), false);
  const deadline = clock.now() + (options.timeoutMs ?? 30 * 60_000);
  for (;;) {
    const status = obj(
      (await client.ok({ operation: 'OF53', method: 'GET', path: `/api/offers/export/async/status/${encodeURIComponent(trackingId)}`, idempotent: true })).body,
    );
    const state = str(status.status);
    if (state === 'COMPLETED') {
      const urls = Array.isArray(status.urls) ? status.urls.map(str).filter((u): u is string => !!u) : [];
      return downloadAll(client, urls);
    }
    if (state === 'FAILED')
      throw new MarketplaceError('OF53', 200, `Offer export failed: ${str(obj(status.error).detail) ?? 'no detail'}`, JSON.stringify(status), false);
    if (clock.now() + POLL_MS > deadline) throw new MarketplaceError('OF53', null, `Offer export ${trackingId} not ready in time`, null, true);
    await clock.sleep(POLL_MS);
  }
}

async function downloadAll(client: MiraklClient, urls: string[]): Promise<Offer[]> {
  const offers: Offer[] = [];
  const origin = new URL(client.baseUrl).origin;
  for (const url of urls) {
    const parsed = new URL(url, client.baseUrl);
    // The API key goes only to the marketplace's own host.
    if (parsed.origin !== origin) throw new MarketplaceError('OF54', null, `Offer export file is on another host (${parsed.host})`, null, false);
    const { body } = await client.ok({ operation: 'OF54', method: 'GET', path: `${parsed.pathname}${parsed.search}`, idempotent: true });
    const rows = Array.isArray(body) ? body : arr(obj(body).offers);
    offers.push(...rows.map((r) => toOffer(obj(r))));
  }
  return offers;
}
