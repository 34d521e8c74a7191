import type { AcceptancePolicy, OrdersSettings, OrdersSettingsPatch } from '../../../shared/domain/orders';

export type ShippingAs = OrdersSettings['shipping']['as'];

/** The Orders settings form as typed: numbers stay text until they are checked, so a half-typed value is never sent. */
export interface OrdersDraft {
  /** The go-live cut-off as the browser's datetime-local input shows it (the operator's local time), '' when unset. */
  ordersFrom: string;
  cardCode: string;
  numAtCardSource: OrdersSettings['numAtCardSource'];
  acceptancePolicy: AcceptancePolicy;
  autoAccept: boolean;
  warehouseCode: string;
  /** Warehouse codes in priority order, one a line (commas also split). */
  warehousePriority: string;
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
  createSettleSeconds: string;
  closeDuplicates: boolean;
}

export type OrdersDraftErrors = Partial<Record<keyof OrdersDraft, string>>;

const list = (text: string) => [
  ...new Set(
    text
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean),
  ),
];
const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : null);
// The same rule SAP and the engine apply to a user-defined field name (without U_).
const UDF_NAME = /^[A-Za-z][A-Za-z0-9_]{0,17}$/;

const pad = (n: number) => String(n).padStart(2, '0');
/** An ISO instant as a datetime-local value in the operator's own time zone. */
export function localInputOf(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function ordersDraftFrom(s: OrdersSettings): OrdersDraft {
  return {
    ordersFrom: localInputOf(s.ordersFrom),
    cardCode: s.cardCode,
    numAtCardSource: s.numAtCardSource,
    acceptancePolicy: s.acceptancePolicy,
    autoAccept: s.autoAccept,
    warehouseCode: s.warehouseCode,
    warehousePriority: s.warehousePriority.join('\n'),
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
    createSettleSeconds: String(s.createSettleSeconds),
    closeDuplicates: s.closeDuplicates,
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
const canonical = (v: unknown): unknown =>
  v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v;
const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/**
 * Checks the form and builds a patch of only what changed, or says what is wrong. Ranges are left to the engine,
 * which checks them again and names the field; here only what cannot be turned into a value is caught.
 */
export function ordersPatchFrom(
  current: OrdersSettings,
  draft: OrdersDraft,
): { ok: true; patch: OrdersSettingsPatch | null } | { ok: false; errors: OrdersDraftErrors } {
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
  // The return and refund fields are not on this form: they keep what the engine has.
  const udf = { ...current.udf, orderId: draft.udfOrderId.trim(), orderLineId: draft.udfOrderLineId.trim() };
  if (!UDF_NAME.test(udf.orderId)) errors.udfOrderId = 'Letters, digits and _ (up to 18), starting with a letter; without U_.';
  if (!UDF_NAME.test(udf.orderLineId)) errors.udfOrderLineId = 'Letters, digits and _ (up to 18), starting with a letter; without U_.';
  const leaseSeconds = whole(draft.leaseSeconds);
  if (leaseSeconds === null) errors.leaseSeconds = 'A whole number of seconds.';
  const createSettleSeconds = whole(draft.createSettleSeconds);
  if (createSettleSeconds === null) errors.createSettleSeconds = 'A whole number of seconds.';
  // A datetime-local value is the operator's local time; the engine keeps the instant.
  const cutoff = draft.ordersFrom.trim() ? new Date(draft.ordersFrom.trim()) : null;
  if (cutoff && Number.isNaN(cutoff.getTime())) errors.ordersFrom = 'A date and time, e.g. 2026-12-01 00:00.';
  if (Object.keys(errors).length) return { ok: false, errors };

  const patch: OrdersSettingsPatch = {};
  const ordersFrom = cutoff ? cutoff.toISOString() : null;
  if (ordersFrom !== (current.ordersFrom ? new Date(current.ordersFrom).toISOString() : null)) patch.ordersFrom = ordersFrom;
  if (cardCode !== current.cardCode) patch.cardCode = cardCode;
  if (draft.numAtCardSource !== current.numAtCardSource) patch.numAtCardSource = draft.numAtCardSource;
  if (draft.acceptancePolicy !== current.acceptancePolicy) patch.acceptancePolicy = draft.acceptancePolicy;
  if (draft.autoAccept !== current.autoAccept) patch.autoAccept = draft.autoAccept;
  if (warehouseCode !== current.warehouseCode) patch.warehouseCode = warehouseCode;
  const warehousePriority = list(draft.warehousePriority);
  if (!same(warehousePriority, current.warehousePriority)) patch.warehousePriority = warehousePriority;
  if (!same(shipping, current.shipping)) patch.shipping = shipping!;
  const trackedSkus = list(draft.trackedSkus);
  if (!same(trackedSkus, current.trackedSkus)) patch.trackedSkus = trackedSkus;
  if (draft.taxMode !== current.taxMode) patch.taxMode = draft.taxMode;
  if (maxRounding !== current.maxRounding) patch.maxRounding = maxRounding;
  if (postingConcurrency !== current.postingConcurrency) patch.postingConcurrency = postingConcurrency!;
  // Nested groups are replaced whole by the engine, so a change to one part sends the group.
  if (!same(udf, current.udf)) patch.udf = udf;
  const lease = { seconds: leaseSeconds! };
  if (!same(lease, current.lease)) patch.lease = lease;
  if (createSettleSeconds !== current.createSettleSeconds) patch.createSettleSeconds = createSettleSeconds!;
  if (draft.closeDuplicates !== current.closeDuplicates) patch.closeDuplicates = draft.closeDuplicates;
  return { ok: true, patch: Object.keys(patch).length ? patch : null };
}
