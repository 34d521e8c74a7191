import Decimal from 'decimal.js';
import { ContractError } from '../../../../shared/contract';
import type { RefundForm, RefundSummary, ReturnSummary } from '../../../../shared/contract/finance';
import type { ExceptionRecord } from '../../../../shared/domain/exceptions';
import type { Marketplace, TaxMode } from '../../connectors/ports/marketplace';
import type { Sap } from '../../connectors/ports/sap';
import type { Ledger } from '../../ledger';
import { orderRef, refundRef, returnRef } from '../../ledger/bindings';
import type { Clock, Logger } from '../../ports';
import type { CommandHandlers, QueryHandlers } from '../flow';
import type { PostedOrders } from '../orders/posted-orders';
import { issueRefund, refundable, RefundRefused } from './refund-requests';
import { refundGross } from './credit';
import { ReturnsRepository, type RefundRow, type ReturnRow } from './repository';

export interface ReturnsHandlerDeps {
  ledger: Ledger;
  clock: Clock;
  logger: Logger;
  marketplace: () => Marketplace | null;
  sap: () => Sap | null;
  postedOrders: PostedOrders;
  taxMode: () => TaxMode;
  /** Starts a returns run (a decision, a receipt or a refund to credit); does not wait for it. */
  runSoon: () => void;
}

const problemOf = (live: Map<string, ExceptionRecord>, key: string) => {
  const e = live.get(key);
  return e ? { id: e.id, type: e.type, summary: e.summary, rawError: e.rawError } : null;
};

/** The Returns screen's queries and commands: the returns queue, the refunds, the refund form, received and decisions. */
export function returnsHandlers(deps: ReturnsHandlerDeps): { queries: QueryHandlers; commands: CommandHandlers } {
  const repo = new ReturnsRepository(deps.ledger.db);
  const now = () => new Date(deps.clock.now());
  const liveProblems = () => {
    const map = new Map<string, ExceptionRecord>();
    for (const e of deps.ledger.exceptions.live('returns')) map.set(`${e.record.type}:${e.record.key}`, e);
    return map;
  };

  const returnSummary = (r: ReturnRow, live: Map<string, ExceptionRecord>): ReturnSummary => {
    const posted = r.orderId ? deps.postedOrders.get(r.orderId) : null;
    const skus = r.orderId ? deps.postedOrders.lineSkus(r.orderId) : new Map<string, string | null>();
    const memos = r.orderId
      ? repo
          .refundsOfOrder(r.orderId)
          .filter((x) => x.returnId === r.returnId && x.creditMemoNum !== null)
          .map((x) => x.creditMemoNum!)
      : [];
    return {
      returnId: r.returnId,
      rma: r.rma,
      orderId: r.orderId,
      numAtCard: posted?.numAtCard ?? r.commercialId,
      marketplaceState: r.stateCode,
      stage: r.stage,
      awaitingDecision: r.marketplaceState === 'awaiting-acceptance' && (r.stage === 'awaiting-acceptance' || r.stage === 'blocked'),
      reasonCode: r.reasonCode,
      lines: r.lines.map((l) => ({ orderLineId: l.orderLineId, sku: skus.get(l.orderLineId) ?? null, quantity: l.quantity })),
      salesOrderDocNum: posted?.docNum ?? null,
      sapReturnDocNum: r.sapReturnNum,
      creditMemoDocNums: [...new Set(memos)],
      problem: problemOf(live, `return:${r.returnId}`),
      createdAt: r.createdDate,
      receivedAt: r.receivedAt,
      updatedAt: r.updatedAt,
    };
  };

  const refundSummary = (r: RefundRow, live: Map<string, ExceptionRecord>): RefundSummary => ({
    refundId: r.refundId,
    orderId: r.orderId,
    numAtCard: deps.postedOrders.get(r.orderId)?.numAtCard ?? null,
    orderLineId: r.orderLineId,
    sku: r.sku,
    quantity: r.quantity,
    amount: r.amount.toFixed(2),
    shippingAmount: r.shippingAmount.toFixed(2),
    totalWithVat: refundGross(r, true).total.toFixed(2),
    currency: r.currency,
    reasonCode: r.reasonCode,
    returnId: r.returnId,
    stage: r.stage,
    creditMemoDocNum: r.creditMemoNum,
    problem: problemOf(live, `refund:${r.refundId}`),
    createdAt: r.createdDate,
    updatedAt: r.updatedAt,
  });

  const queries: QueryHandlers = {
    'returns.list': (q) => {
      const { rows, total } = repo.listReturns(q);
      const live = liveProblems();
      return { rows: rows.map((r) => returnSummary(r, live)), total };
    },
    'refunds.list': (q) => {
      const { rows, total } = repo.listRefunds(q);
      const live = liveProblems();
      return { rows: rows.map((r) => refundSummary(r, live)), total };
    },
    'returns.warehouses': async () => {
      const sap = deps.sap();
      if (!sap) throw new ContractError('failed', 'SAP is not configured (Connections)');
      return (await sap.company.warehouses()).map((w) => ({ code: w.code, name: w.name, active: w.active, nettable: w.nettable }));
    },
    'refunds.reasons': async () => {
      const marketplace = deps.marketplace();
      if (!marketplace) throw new ContractError('failed', 'The marketplace is not configured (Connections)');
      return (await marketplace.shop.reasons('refund')).map((r) => ({ code: r.code, label: r.label }));
    },
    'refunds.form': async ({ orderId }): Promise<RefundForm> => {
      const marketplace = deps.marketplace();
      if (!marketplace) throw new ContractError('failed', 'The marketplace is not configured (Connections)');
      const taxMode = deps.taxMode();
      const [order] = await marketplace.orders.get([orderId], taxMode, { forOperatorAction: true });
      if (!order) throw new ContractError('failed', `The marketplace has no order ${orderId}`);
      const left = refundable(order);
      const zero = new Decimal(0);
      return {
        orderId,
        numAtCard: deps.postedOrders.get(orderId)?.numAtCard ?? order.commercialId,
        currency: order.currency,
        taxMode: order.taxMode === 'TAX_EXCLUDED' ? 'TAX_EXCLUDED' : taxMode,
        lines: order.lines.map((l) => {
          const room = left.get(l.orderLineId)!;
          return {
            orderLineId: l.orderLineId,
            sku: l.sku,
            title: l.title,
            quantity: l.quantity ?? 0,
            unitPrice: (l.unitPrice ?? zero).toFixed(2),
            price: (l.price ?? zero).toFixed(2),
            shippingPrice: (l.shippingPrice ?? zero).toFixed(2),
            refundedQuantity: (l.quantity ?? 0) - room.units,
            refundedAmount: (l.price ?? zero).minus(room.amount).toFixed(2),
            refundedShipping: (l.shippingPrice ?? zero).minus(room.shipping).toFixed(2),
            refundable: ['shipped', 'received', 'shipping', 'to-collect'].includes(l.state) && (room.amount.gt(0) || room.shipping.gt(0)),
          };
        }),
        requests: repo.requestsOfOrder(orderId).map((r) => ({ id: r.id, state: r.state, at: r.createdAt, actor: r.actor, error: r.error })),
      };
    },
  };

  const commands: CommandHandlers = {
    'returns.markReceived': ({ returnIds, actor }) => {
      const accepted: string[] = [];
      const refused: { returnId: string; reason: string }[] = [];
      for (const id of returnIds) {
        const r = repo.getReturn(id);
        if (!r) refused.push({ returnId: id, reason: 'No such return' });
        else if (r.stage !== 'awaiting-goods' && !(r.stage === 'blocked' && r.marketplaceState === 'in-progress'))
          refused.push({ returnId: id, reason: `It is ${r.stage.replace(/-/g, ' ')}, not waiting for its goods` });
        else {
          repo.markReceived(id, actor, now());
          deps.ledger.exceptions.resolveFor('returns', 'return-refused-by-marketplace', returnRef(id), now());
          if (r.orderId)
            deps.ledger.timeline.add(orderRef(r.orderId), 'operator', `${actor} booked return ${r.rma ?? id} in: the goods are back`, now(), { returnId: id });
          accepted.push(id);
        }
      }
      if (accepted.length) deps.runSoon();
      return { accepted, refused };
    },
    'returns.decide': ({ returnId, accepted, rejectionReasonCode, actor }) => {
      const r = repo.getReturn(returnId);
      if (!r) throw new ContractError('failed', `No return ${returnId}`);
      if (r.marketplaceState !== 'awaiting-acceptance' || !['awaiting-acceptance', 'blocked'].includes(r.stage))
        throw new ContractError('failed', `Return ${r.rma ?? returnId} is not waiting for a decision (${r.stateCode ?? r.marketplaceState})`);
      if (!accepted && !rejectionReasonCode) throw new ContractError('bad-payload', 'A refusal needs its reason');
      repo.setDecision(returnId, accepted ? 'accept' : `refuse:${rejectionReasonCode}`, now());
      if (r.stage === 'blocked') repo.setReturnStage(returnId, 'awaiting-acceptance', now());
      if (r.orderId)
        deps.ledger.timeline.add(
          orderRef(r.orderId),
          'operator',
          `${actor} ${accepted ? 'accepted' : `refused (${rejectionReasonCode})`} return ${r.rma ?? returnId}`,
          now(),
          { returnId },
        );
      deps.runSoon();
      return { ok: true as const };
    },
    'refunds.issue': async ({ orderId, lines, reasonCode, actor }) => {
      try {
        const request = await issueRefund(
          { repo, ledger: deps.ledger, clock: deps.clock, logger: deps.logger, marketplace: deps.marketplace, taxMode: deps.taxMode },
          { orderId, lines, reasonCode, actor },
        );
        if (request.state === 'sent') deps.runSoon();
        for (const id of request.refundIds) deps.ledger.exceptions.resolveFor('returns', 'refund-outcome-unknown', refundRef(id), now());
        return { requestId: request.id, state: request.state, refundIds: request.refundIds, error: request.error };
      } catch (e) {
        if (e instanceof RefundRefused) throw new ContractError('failed', e.message);
        throw e;
      }
    },
  };
  return { queries, commands };
}
