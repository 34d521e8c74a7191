import { createHash } from 'node:crypto';
import { SlError, CONFLICT_TEXT, type SlVersion } from './errors';
import type { EmulatorState, Entity } from './state';

/**
 * The entity sets the emulator serves that SAP versions with ETags (10.0 FP 2102+, reference §6): documents (sales
 * and purchase), Items and BusinessPartners — not Warehouses, ShippingTypes, IncomingPayments, ChartOfAccounts or the
 * metadata sets.
 */
export const ETAG_SETS: ReadonlySet<string> = new Set([
  'Orders',
  'DeliveryNotes',
  'Returns',
  'CreditNotes',
  'Invoices',
  'PurchaseInvoices',
  'Items',
  'BusinessPartners',
]);

export const etagsOn = (state: EmulatorState, set: string) => state.etags && ETAG_SETS.has(set);

/**
 * A weak ETag from the entity's write count and its stored content. The count makes every write a new ETag
 * (even one that changes no value, as SAP's update stamp does); the content catches changes made as a side
 * effect (a Delivery Note closing its order, a test editing state directly) without instrumenting each one.
 */
export function etagOf(state: EmulatorState, entity: Entity): string {
  const hash = createHash('sha1')
    .update(`${state.version(entity)}:${JSON.stringify(entity)}`)
    .digest('hex')
    .slice(0, 20);
  return `W/"${hash}"`;
}

/** The body annotation: `@odata.etag` in OData v4 (v2); `odata.etag` in OData v3 JSON light (v1). */
export function withEtag(version: SlVersion, etag: string, body: Entity): Entity {
  return { [version === 'v1' ? 'odata.etag' : '@odata.etag']: etag, ...body };
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/**
 * Checks `If-Match` before a write: `*` or any listed tag equal to the current one (weak comparison) passes; a
 * stale one is refused with 412 and -2039, and nothing is written. No If-Match, or ETags off: the write overwrites.
 */
export function checkIfMatch(state: EmulatorState, set: string, entity: Entity, ifMatch: string | undefined): void {
  if (ifMatch === undefined || !etagsOn(state, set)) return;
  if (ifMatch.trim() === '*') return;
  const current = opaque(etagOf(state, entity));
  const tags = ifMatch.match(/(?:W\/)?"[^"]*"/g) ?? [];
  if (!tags.some((t) => opaque(t) === current)) throw new SlError(412, -2039, CONFLICT_TEXT);
}
