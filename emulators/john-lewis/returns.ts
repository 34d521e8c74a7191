import { asArray, asObject, fail, ok, seekPage, seekRequest, type Ctx, type Reply } from './http';
import type { EmuReturn } from './model';
import type { EmulatorState } from './state';

export interface CreateReturnInput {
  orderId: string;
  lines?: { orderLineId: string; quantity?: number }[];
  reasonCode?: string;
}

export function createReturn(state: EmulatorState, input: CreateReturnInput): EmuReturn {
  const order = state.orders.get(input.orderId);
  if (!order) throw new Error(`Order ${input.orderId} not found`);
  const now = state.clock.now();
  const ret: EmuReturn = {
    id: state.uuid(),
    rma: `RMA${String(state.nextId()).padStart(6, '0')}`,
    orderId: order.orderId,
    state: 'WAITING_ACCEPTANCE',
    reasonCode: input.reasonCode ?? 'RETURN_CHANGED_MIND',
    rejectionReasonCode: null,
    lines: (input.lines ?? order.lines.map((l) => ({ orderLineId: l.id, quantity: l.quantity }))).map((l) => ({
      orderLineId: l.orderLineId,
      quantity: l.quantity ?? 1,
    })),
    createdMs: now,
    lastUpdatedMs: now,
  };
  state.returns.set(ret.id, ret);
  return ret;
}

/** RT11: seek paging (limit ≤ 100, page_token); with a token the other filters are ignored. */
export function listReturns(ctx: Ctx): Reply {
  const { state, query } = ctx;
  const page = seekRequest(query, 100);
  if ('status' in page) return page;
  const states = query.getAll('return_state');
  const from = query.get('return_last_updated_from');
  const all = [...state.returns.values()]
    .filter((r) => page.continued || ((states.length === 0 || states.includes(r.state)) && (!from || r.lastUpdatedMs >= Date.parse(from))))
    .sort((a, b) => a.createdMs - b.createdMs);
  const order = (r: EmuReturn) => state.orders.get(r.orderId);
  return seekPage(all, page, (r) => ({
    id: r.id,
    rma: r.rma,
    state: r.state,
    order_id: r.orderId,
    order_commercial_id: order(r)?.commercialId ?? null,
    reason_code: r.reasonCode,
    rejection_reason_code: r.rejectionReasonCode,
    method_code: 'BY_MAIL',
    return_lines: r.lines.map((l) => ({ order_line_id: l.orderLineId, quantity: l.quantity, reason_code: r.reasonCode })),
    date_created: state.clock.iso(r.createdMs),
    last_updated: state.clock.iso(r.lastUpdatedMs),
  }));
}

/**
 * RT21 and RT25 share one envelope: each return in the request moves on only from `from`, and the answer lists
 * per return what succeeded and what did not (the partial-success shape the connector reads line by line).
 */
function perReturn(ctx: Ctx, from: string, move: (ret: NonNullable<ReturnType<Ctx['state']['returns']['get']>>, item: Record<string, unknown>) => void): Reply {
  const items = asArray(asObject(ctx.body).returns);
  if (items.length === 0 || items.length > 100) return fail(400, 'returns must hold 1 to 100 items');
  const success: { id: string }[] = [];
  const errors: { id: string; message: string }[] = [];
  for (const item of items) {
    const id = String(item.id ?? '');
    const ret = ctx.state.returns.get(id);
    if (!ret) errors.push({ id, message: `Return ${id} not found` });
    else if (ret.state !== from) errors.push({ id, message: `Return ${id} is ${ret.state}, not ${from}` });
    else {
      move(ret, item);
      ret.lastUpdatedMs = ctx.state.clock.now();
      success.push({ id });
    }
  }
  return ok({ return_success: success, return_errors: errors });
}

/** RT21: accepts or refuses returns waiting for acceptance. */
export function acceptReturns(ctx: Ctx): Reply {
  return perReturn(ctx, 'WAITING_ACCEPTANCE', (ret, item) => {
    ret.state = item.accepted === true ? 'IN_PROGRESS' : 'REFUSED';
    ret.rejectionReasonCode = item.accepted === true ? null : String(item.rejection_reason_code ?? 'RETURN_REJECTION_NOT_ELIGIBLE');
  });
}

/** RT25: marks returns received. */
export function receiveReturns(ctx: Ctx): Reply {
  return perReturn(ctx, 'IN_PROGRESS', (ret) => {
    ret.state = 'RECEIVED';
  });
}
