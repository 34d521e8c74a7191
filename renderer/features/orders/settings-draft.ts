import type { AcceptancePolicy, OrdersSettings, OrdersSettingsPatch } from '../../../shared/domain/orders';

export type ShippingAs = OrdersSettings['shipping']['as'];

/** The Orders settings form as typed: numbers stay text until they are checked, so a half-typed value is never sent. */
export interface OrdersDraft {
  cardCode: string;
  numAtCardSource: OrdersSettings['numAtCardSource'];
  acceptancePolicy: AcceptancePolicy;
  autoAccept: boolean;
  warehouseCode: string;
  shippingAs: ShippingAs;
  expenseCode: string;
  itemCode: string;
  /** One SKU a line (commas also split). */
  trackedSkus: string;
  taxMode: OrdersSettings['taxMode'];
  maxRounding: string;
  postingConcurrency: string;
  udfOrderId: string;
  udfOrderLineId: string;
  leaseSeconds: string;
  leaseSettleMs: string;
}

export type OrdersDraftErrors = Partial<Record<keyof OrdersDraft, string>>;

const list = (text: string) => [...new Set(text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean))];
const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : null);
// The same rule SAP and the engine apply to a user-defined field name (without U_).
const UDF_NAME = /^[A-Za-z][A-Za-z0-9_]{0,17}$/;

export function ordersDraftFrom(s: OrdersSettings): OrdersDraft {
  return {
    cardCode: s.cardCode,
    numAtCardSource: s.numAtCardSource,
    acceptancePolicy: s.acceptancePolicy,
    autoAccept: s.autoAccept,
    warehouseCode: s.warehouseCode,
    shippingAs: s.shipping.as,
    expenseCode: s.shipping.as === 'freight' ? String(s.shipping.expenseCode) : '',
    itemCode: s.shipping.as === 'service-item' ? s.shipping.itemCode : '',
    trackedSkus: s.trackedSkus.join('\n'),
    taxMode: s.taxMode,
    maxRounding: s.maxRounding,
    postingConcurrency: String(s.postingConcurrency),
    udfOrderId: s.udf.orderId,
    udfOrderLineId: s.udf.orderLineId,
    leaseSeconds: String(s.lease.seconds),
    leaseSettleMs: String(s.lease.settleMs),
  };
}

function shippingFrom(draft: OrdersDraft, errors: OrdersDraftErrors): OrdersSettings['shipping'] | null {
  if (draft.shippingAs === 'none') return { as: 'none' };
  if (draft.shippingAs === 'service-item') {
    const itemCode = draft.itemCode.trim();
    if (!itemCode) errors.itemCode = 'A service-item line needs the SAP item code of a non-stock service item.';
    return itemCode ? { as: 'service-item', itemCode } : null;
  }
  const expenseCode = whole(draft.expenseCode);
  if (expenseCode === null) errors.expenseCode = 'Freight needs the SAP freight (additional expense) code, a whole number.';
  return expenseCode === null ? null : { as: 'freight', expenseCode };
}

// Key order is not meaning: settings read back from the engine may list a group's keys in another order.
const canonical = (v: unknown): unknown => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v);
const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/**
 * Checks the form and builds a patch of only what changed, or says what is wrong. Ranges are left to the engine,
 * which checks them again and names the field; here only what cannot be turned into a value is caught.
 */
export function ordersPatchFrom(current: OrdersSettings, draft: OrdersDraft): { ok: true; patch: OrdersSettingsPatch | null } | { ok: false; errors: OrdersDraftErrors } {
  const errors: OrdersDraftErrors = {};
  const cardCode = draft.cardCode.trim();
  if (!cardCode) errors.cardCode = 'Enter the CardCode of the marketplace business partner in SAP.';
  const warehouseCode = draft.warehouseCode.trim();
  if (!warehouseCode) errors.warehouseCode = 'Enter the SAP warehouse code the order lines draw from.';
  const shipping = shippingFrom(draft, errors);
  const maxRounding = draft.maxRounding.trim();
  if (!/^\d+(\.\d+)?$/.test(maxRounding)) errors.maxRounding = 'An amount in pounds, e.g. 0.05.';
  const postingConcurrency = whole(draft.postingConcurrency);
  if (postingConcurrency === null) errors.postingConcurrency = 'A whole number of Sales Orders at once (1 to 16).';
  const udf = { orderId: draft.udfOrderId.trim(), orderLineId: draft.udfOrderLineId.trim() };
  if (!UDF_NAME.test(udf.orderId)) errors.udfOrderId = 'Letters, digits and _ (up to 18), starting with a letter; without U_.';
  if (!UDF_NAME.test(udf.orderLineId)) errors.udfOrderLineId = 'Letters, digits and _ (up to 18), starting with a letter; without U_.';
  const leaseSeconds = whole(draft.leaseSeconds);
  if (leaseSeconds === null) errors.leaseSeconds = 'A whole number of seconds.';
  const leaseSettleMs = whole(draft.leaseSettleMs);
  if (leaseSettleMs === null) errors.leaseSettleMs = 'A whole number of milliseconds.';
  if (Object.keys(errors).length) return { ok: false, errors };

  const patch: OrdersSettingsPatch = {};
  if (cardCode !== current.cardCode) patch.cardCode = cardCode;
  if (draft.numAtCardSource !== current.numAtCardSource) patch.numAtCardSource = draft.numAtCardSource;
  if (draft.acceptancePolicy !== current.acceptancePolicy) patch.acceptancePolicy = draft.acceptancePolicy;
  if (draft.autoAccept !== current.autoAccept) patch.autoAccept = draft.autoAccept;
  if (warehouseCode !== current.warehouseCode) patch.warehouseCode = warehouseCode;
  if (!same(shipping, current.shipping)) patch.shipping = shipping!;
  const trackedSkus = list(draft.trackedSkus);
  if (!same(trackedSkus, current.trackedSkus)) patch.trackedSkus = trackedSkus;
  if (draft.taxMode !== current.taxMode) patch.taxMode = draft.taxMode;
  if (maxRounding !== current.maxRounding) patch.maxRounding = maxRounding;
  if (postingConcurrency !== current.postingConcurrency) patch.postingConcurrency = postingConcurrency!;
  // Nested groups are replaced whole by the engine, so a change to one part sends the group.
  if (!same(udf, current.udf)) patch.udf = udf;
  const lease = { seconds: leaseSeconds!, settleMs: leaseSettleMs! };
  if (!same(lease, current.lease)) patch.lease = lease;
  return { ok: true, patch: Object.keys(patch).length ? patch : null };
}
