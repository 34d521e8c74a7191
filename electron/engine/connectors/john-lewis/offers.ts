import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Clock } from '../../ports';
import type { Offer, OfferQuantity, OfferQuery, Page, Raw } from '../ports/marketplace';
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

/** OF52 asks for at most this many offers a file (Mirakl's published minimum): with two fields, a file of a few hundred kilobytes. */
export const EXPORT_ITEMS_PER_CHUNK = 10_000;
/** And at most this many megabytes a file (the published minimum), should the fields asked for not be the only ones sent. */
const EXPORT_MEGABYTES_PER_CHUNK = 10;
/** Only what the stock reconciliation reads (CSV header names). */
const EXPORT_FIELDS = ['shop-sku', 'quantity'];
/** The first status poll comes soon after the export starts; the next ones at OF53's published maximum, one every 10 seconds. */
const FIRST_POLL_MS = 1_000;
const POLL_MS = 10_000;
/** Offers handed to the caller at a time. */
const BATCH = 2_000;

/**
 * OF52 starts an export of every offer's SKU and quantity (as CSV, in files of at most EXPORT_ITEMS_PER_CHUNK offers),
 * OF53 reports it, OF54 downloads its files (only from the marketplace's own host). Each file is read through a
 * streaming CSV parser and handed on a batch at a time, so neither the export nor a file is ever parsed in one go.
 * With `changedSince` it is the differential export (every offer changed since, inactive ones included); without,
 * the full export, inactive offers asked for too (the marketplace refuses that flag on a differential export).
 */
export async function* exportOffers(
  client: MiraklClient,
  clock: Clock,
  options: { changedSince?: string; timeoutMs?: number } = {},
): AsyncGenerator<OfferQuantity[]> {
  const { body } = await client.ok({
    operation: 'OF52',
    governorKey: options.changedSince ? 'OF52' : 'OF52-full',
    method: 'POST',
    path: '/api/offers/export/async',
    idempotent: false,
    // Starting an export changes nothing on the marketplace, so dry run may send it.
    data: {
      export_type: 'text/csv',
      include_fields: EXPORT_FIELDS,
      items_per_chunk: EXPORT_ITEMS_PER_CHUNK,
      megabytes_per_chunk: EXPORT_MEGABYTES_PER_CHUNK,
      ...(options.changedSince ? { last_request_date: options.changedSince } : { include_inactive_offers: true }),
    },
  });
  const trackingId = str(obj(body).tracking_id);
  if (!trackingId) throw new MarketplaceError('OF52', 200, 'OF52 returned no tracking_id', JSON.stringify(body), false);
  const deadline = clock.now() + (options.timeoutMs ?? 30 * 60_000);
  await clock.sleep(FIRST_POLL_MS);
  for (;;) {
    const status = obj(
      (await client.ok({ operation: 'OF53', method: 'GET', path: `/api/offers/export/async/status/${encodeURIComponent(trackingId)}`, idempotent: true })).body,
    );
    const state = str(status.status);
    if (state === 'COMPLETED') {
      const urls = Array.isArray(status.urls) ? status.urls.map(str).filter((u): u is string => !!u) : [];
      for (const url of urls) yield* readExportFile(client, url);
      return;
    }
    if (state === 'FAILED')
      throw new MarketplaceError('OF53', 200, `Offer export failed: ${str(obj(status.error).detail) ?? 'no detail'}`, JSON.stringify(status), false);
    if (clock.now() + POLL_MS > deadline) throw new MarketplaceError('OF53', null, `Offer export ${trackingId} not ready in time`, null, true);
    await clock.sleep(POLL_MS);
  }
}

/** Cuts a file's text into pieces for the parser, so one file is parsed a piece at a time. */
function* pieces(text: string, size = 64 * 1024): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function* readExportFile(client: MiraklClient, url: string): AsyncGenerator<OfferQuantity[]> {
  const origin = new URL(client.baseUrl).origin;
  const parsed = new URL(url, client.baseUrl);
  // The API key goes only to the marketplace's own host.
  if (parsed.origin !== origin) throw new MarketplaceError('OF54', null, `Offer export file is on another host (${parsed.host})`, null, false);
  const { body, text } = await client.ok({ operation: 'OF54', method: 'GET', path: `${parsed.pathname}${parsed.search}`, idempotent: true });
  if (body !== null && typeof body === 'object') {
    // A JSON file (the marketplace's other export type): offers as an array, or under `offers`.
    const rows = Array.isArray(body) ? body : arr(obj(body).offers);
    for (let i = 0; i < rows.length; i += BATCH) yield rows.slice(i, i + BATCH).map((r) => quantityOf(toOffer(obj(r))));
    return;
  }
  const records = Readable.from(pieces(text)).pipe(
    parse({
      delimiter: ';',
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }),
  ) as AsyncIterable<Record<string, string | undefined>>;
  let batch: OfferQuantity[] = [];
  for await (const record of records) {
    batch.push({ sku: str(record['shop-sku']?.trim()), quantity: int(record.quantity) });
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

const quantityOf = (o: Offer): OfferQuantity => ({ sku: o.sku, quantity: o.quantity });
