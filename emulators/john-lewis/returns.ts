import { asArray, asObject, fail, ok, seekPage, seekRequest, type Ctx, type Reply } from './http';
import type { EmuReturn } from './model';
import type { EmulatorState } from './state';

/** RT11 `reason_code` values (the spec's enum); a return's lines may each carry their own. */
const RETURN_REASONS = [
  'RETURN_BROKEN_ITEM',
  'RETURN_CHANGED_MIND',
  'RETURN_COUNTERFEIT_ITEM',
  'RETURN_DAMAGED_PACKAGING',
  'RETURN_DEFECTIVE_ITEM',
  'RETURN_DELIVERED_PRODUCT_DIFFERENT',
  'RETURN_MISSING_ITEM',
  'RETURN_OTHER',
  'RETURN_CM_DONT_WANT',
  'RETURN_CM_DONT_LIKE',
  'RETURN_CM_QUALITY',
  'RETURN_DPD_WRONG_SIZE',
  'RETURN_DPD_WRONG_COLOR',
  'RETURN_DEFECTIVE_ON_ARRIVAL',
  'RETURN_PRODUCT_DOES_NOT_FIT',
  'RETURN_PDNT_TOO_BIG',
  'RETURN_PDNT_TOO_SMALL',
  'RETURN_INACCURATE_ITEM_DESCRIPTION',
  'RETURN_WARRANTY',
];
const REJECTION_REASONS = ['RETURN_REJECTION_NOT_ELIGIBLE', 'RETURN_REJECTION_NOT_NEEDED', 'RETURN_REJECTION_WINDOW_CLOSED'];

/** Where the customer sends the parcel: the shop's returns address (RT11 `return_address`). */
const RETURN_ADDRESS = { street1: 'Unit 4, Riverside Trade Park', city: 'Milton Keynes', zip_code: 'MK9 1AB', country_iso_code: 'GBR' };

/** Without the module the platform has no returns to show or move (inferred: the error the real one gives is not published). */
const moduleOff = (state: EmulatorState): Reply | null =>
  state.returnsEnabled() ? null : fail(400, 'The returns module is not enabled for this shop', 'RETURNS_DISABLED');

/** Returns still open or received count against what the customer can send back. */
const counts = (r: EmuReturn) => !['REFUSED', 'CANCELED', 'NO_RECEPTION'].includes(r.state);

export interface CreateReturnInput {
  orderId: string;
  /** Some units of some lines; default: every shipped unit not already on a return. */
  lines?: { orderLineId: string; quantity?: number; reasonCode?: string }[];
  reasonCode?: string;
}

/** The customer opens a return (WAITING_ACCEPTANCE): only for shipped units not already being returned. */
export function createReturn(state: EmulatorState, input: CreateReturnInput): EmuReturn {
  if (!state.returnsEnabled()) throw new Error('The returns module is not enabled for this shop: customers cannot open returns');
  const order = state.orders.get(input.orderId);
  if (!order) throw new Error(`Order ${input.orderId} not found`);
  const reasonCode = input.reasonCode ?? 'RETURN_CHANGED_MIND';
  if (!RETURN_REASONS.includes(reasonCode)) throw new Error(`Unknown return reason ${reasonCode}`);
  const returnable = (lineId: string) => {
    const line = order.lines.find((l) => l.id === lineId);
    if (!line) throw new Error(`Order line ${lineId} is not on order ${order.orderId}`);
    const onReturns = [...state.returns.values()]
      .filter((r) => r.orderId === order.orderId && counts(r))
      .flatMap((r) => r.lines)
      .filter((l) => l.orderLineId === lineId)
      .reduce((a, l) => a + l.quantity, 0);
    return line.shippedQuantity - onReturns;
  };
  const asked = input.lines ?? order.lines.map((l) => ({ orderLineId: l.id, quantity: returnable(l.id) })).filter((l) => l.quantity > 0);
  if (asked.length === 0) throw new Error(`Order ${order.orderId} has nothing shipped left to return`);
  const lines = asked.map((l) => {
    const quantity = l.quantity ?? 1;
    const left = returnable(l.orderLineId);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > left)
      throw new Error(`Order line ${l.orderLineId}: ${quantity} cannot be returned (${left} shipped and not yet on a return)`);
    const lineReason = 'reasonCode' in l && l.reasonCode ? l.reasonCode : reasonCode;
    if (!RETURN_REASONS.includes(lineReason)) throw new Error(`Unknown return reason ${lineReason}`);
    return { orderLineId: l.orderLineId, quantity, reasonCode: lineReason };
  });
  const now = state.clock.now();
  const ret: EmuReturn = {
    id: state.uuid(),
    rma: `RMA${String(state.nextId()).padStart(6, '0')}`,
    orderId: order.orderId,
    state: 'WAITING_ACCEPTANCE',
    reasonCode,
    rejectionReasonCode: null,
    lines,
    tracking: null,
    createdMs: now,
    lastUpdatedMs: now,
  };
  state.returns.set(ret.id, ret);
  return ret;
}

/** Moves a return on as the customer or the marketplace does it (admin API), from the states it may leave. */
export function moveReturn(state: EmulatorState, returnId: string, from: readonly string[], to: string): EmuReturn {
  const ret = state.returns.get(returnId);
  if (!ret) throw new Error(`Return ${returnId} not found`);
  if (!from.includes(ret.state)) throw new Error(`Return ${returnId} is ${ret.state}: it cannot become ${to}`);
  ret.state = to;
  ret.lastUpdatedMs = state.clock.now();
  return ret;
}

/** The customer sends the parcel back (an accepted return): its tracking shows on RT11; the return stays IN_PROGRESS. */
export function customerSendsParcel(
  state: EmulatorState,
  returnId: string,
  parcel: { carrierCode?: string; carrierName?: string; trackingNumber?: string },
): EmuReturn {
  const ret = state.returns.get(returnId);
  if (!ret) throw new Error(`Return ${returnId} not found`);
  if (ret.state !== 'IN_PROGRESS') throw new Error(`Return ${returnId} is ${ret.state}: only an accepted return is sent back`);
  // The customer's carrier: one of the SH21 list (its tracking URL from the template) or any other by name.
  const carrier = parcel.carrierCode ? state.config.carriers.find((c) => c.code === parcel.carrierCode) : undefined;
  if (parcel.carrierCode && !carrier) throw new Error(`Carrier code '${parcel.carrierCode}' is not in the carrier list`);
  const number = parcel.trackingNumber ?? null;
  ret.tracking = {
    carrierCode: carrier?.code ?? null,
    carrierName: carrier?.label ?? parcel.carrierName ?? null,
    trackingNumber: number,
    trackingUrl: carrier?.tracking_url && number ? carrier.tracking_url.replace('{trackingId}', encodeURIComponent(number)) : null,
  };
  ret.lastUpdatedMs = state.clock.now();
  return ret;
}

/** A return as RT11 shows it. */
export function returnJson(state: EmulatorState, r: EmuReturn) {
  const order = state.orders.get(r.orderId);
  return {
    id: r.id,
    rma: r.rma,
    state: r.state,
    order_id: r.orderId,
    order_commercial_id: order?.commercialId ?? null,
    reason_code: r.reasonCode,
    ...(r.rejectionReasonCode ? { rejection_reason_code: r.rejectionReasonCode } : {}),
    method_code: 'RETURN_METHOD_BY_MAIL',
    return_address: RETURN_ADDRESS,
    return_lines: r.lines.map((l) => ({ order_line_id: l.orderLineId, quantity: l.quantity, reason_code: l.reasonCode })),
    ...(r.tracking
      ? {
          tracking: {
            ...(r.tracking.carrierCode ? { carrier_code: r.tracking.carrierCode } : {}),
            ...(r.tracking.carrierName ? { carrier_name: r.tracking.carrierName } : {}),
            ...(r.tracking.trackingNumber ? { tracking_number: r.tracking.trackingNumber } : {}),
            ...(r.tracking.trackingUrl ? { tracking_url: r.tracking.trackingUrl } : {}),
          },
        }
      : {}),
    date_created: state.clock.iso(r.createdMs),
    last_updated: state.clock.iso(r.lastUpdatedMs),
    ...r.wire,
  };
}

/**
 * RT11: seek paging (limit ≤ 100, page_token; with a token the other filters are ignored), sorted by creation date;
 * filters repeat (`return_state=A&return_state=B`).
 */
export function listReturns(ctx: Ctx): Reply {
  const { state, query } = ctx;
  const off = moduleOff(state);
  if (off) return off;
  const page = seekRequest(query, 100);
  if ('status' in page) return page;
  const list = (k: string) => query.getAll(k).filter(Boolean);
  const time = (k: string) => {
    const v = query.get(k);
    return v ? Date.parse(v) : null;
  };
  const ids = list('return_id');
  const states = list('return_state');
  const commercialIds = list('order_commercial_id');
  const lineIds = list('order_line_id');
  const rmas = list('return_rma');
  const [updatedFrom, updatedTo, createdFrom, createdTo] = [
    time('return_last_updated_from'),
    time('return_last_updated_to'),
    time('return_creation_date_from'),
    time('return_creation_date_to'),
  ];
  const all = [...state.returns.values()]
    .filter(
      (r) =>
        page.continued ||
        ((ids.length === 0 || ids.includes(r.id)) &&
          (states.length === 0 || states.includes(r.state)) &&
          (commercialIds.length === 0 || commercialIds.includes(state.orders.get(r.orderId)?.commercialId ?? '')) &&
          (lineIds.length === 0 || r.lines.some((l) => lineIds.includes(l.orderLineId))) &&
          (rmas.length === 0 || rmas.includes(r.rma)) &&
          (updatedFrom === null || r.lastUpdatedMs >= updatedFrom) &&
          (updatedTo === null || r.lastUpdatedMs <= updatedTo) &&
          (createdFrom === null || r.createdMs >= createdFrom) &&
          (createdTo === null || r.createdMs <= createdTo)),
    )
    .sort((a, b) => a.createdMs - b.createdMs);
  return seekPage(all, page, (r) => returnJson(state, r));
}

/**
 * RT21 and RT25 share one envelope: each return in the request moves on only from `from`, and the answer lists
 * per return what succeeded and what did not (the partial-success shape the connector reads line by line).
 */
function perReturn(
  ctx: Ctx,
  from: string,
  check: (item: Record<string, unknown>) => string | null,
  move: (ret: EmuReturn, item: Record<string, unknown>) => void,
): Reply {
  const off = moduleOff(ctx.state);
  if (off) return off;
  const items = asArray(asObject(ctx.body).returns);
  if (items.length === 0 || items.length > 100) return fail(400, 'returns must hold 1 to 100 items');
  const success: { id: string }[] = [];
  const errors: { id: string; message: string }[] = [];
  for (const item of items) {
    const id = String(item.id ?? '');
    const ret = ctx.state.returns.get(id);
    const problem = check(item);
    if (!ret) errors.push({ id, message: `Return ${id} not found` });
    else if (ret.state !== from) errors.push({ id, message: `Return ${id} is ${ret.state}, not ${from}` });
    else if (problem) errors.push({ id, message: problem });
    else {
      move(ret, item);
      ret.lastUpdatedMs = ctx.state.clock.now();
      success.push({ id });
    }
  }
  return ok({ return_success: success, return_errors: errors });
}

/** RT21: accepts (IN_PROGRESS: the customer may send the parcel) or refuses (REFUSED, with a rejection reason) returns waiting for acceptance. */
export function acceptReturns(ctx: Ctx): Reply {
  return perReturn(
    ctx,
    'WAITING_ACCEPTANCE',
    (item) => {
      if (typeof item.accepted !== 'boolean') return 'accepted is required';
      const code = item.rejection_reason_code;
      return item.accepted === false && code !== undefined && !REJECTION_REASONS.includes(String(code)) ? `Unknown rejection reason ${String(code)}` : null;
    },
    (ret, item) => {
      ret.state = item.accepted === true ? 'IN_PROGRESS' : 'REFUSED';
      ret.rejectionReasonCode = item.accepted === true ? null : String(item.rejection_reason_code ?? 'RETURN_REJECTION_NOT_ELIGIBLE');
    },
  );
}

/** RT25: the seller has the goods (IN_PROGRESS → RECEIVED). */
export function receiveReturns(ctx: Ctx): Reply {
  return perReturn(
    ctx,
    'IN_PROGRESS',
    () => null,
    (ret) => {
      ret.state = 'RECEIVED';
    },
  );
}
