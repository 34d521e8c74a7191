import { ContractError } from '../../../../shared/contract';
import type { OrderDetail, OrderSummary } from '../../../../shared/contract/orders';
import type { Ledger } from '../../ledger';
import type { Clock, Logger } from '../../ports';
import type { Sap } from '../../connectors/ports/sap';
import type { OrdersSettings } from '../../../../shared/domain/orders';
import type { CommandHandlers, QueryHandlers } from '../flow';
import { OrdersRepository, type OrderRow } from './repository';
import { preflight } from './preflight';

const summary = (r: OrderRow): OrderSummary => ({
  orderId: r.orderId,
  commercialId: r.commercialId,
  numAtCard: r.numAtCard,
  // The marketplace's own code, as its back office shows it.
  marketplaceState: r.stateCode ?? r.marketplaceState,
  stage: r.stage,
  totalPrice: r.totalPrice,
  currency: r.currency,
  createdDate: r.createdDate,
  acceptanceDeadline: r.acceptanceDeadline,
  shippingDeadline: r.shippingDeadline,
  docEntry: r.docEntry,
  docNum: r.docNum,
  sapTotal: r.sapTotal,
  rounding: r.rounding,
});

export interface HandlerDeps {
  ledger: () => Ledger;
  clock: Clock;
  logger: Logger;
  settings: () => OrdersSettings;
  sap: () => Sap | null;
  /** Asks the engine to run the orders flow now (after a decision or a correction). */
  runSoon: () => void;
}

/**
 * The Orders screen's queries and the operator's corrections. Every correction is audited on the exceptions it
 * retries (action 'correct', before and after) and noted on each order's timeline.
 */
export function ordersHandlers(deps: HandlerDeps): { queries: QueryHandlers; commands: CommandHandlers } {
  const repo = () => new OrdersRepository(deps.ledger().db);
  const now = () => new Date(deps.clock.now());

  /** Moves the live exceptions of `types` on the given orders to 'retrying', audited as a correction. */
  function retryOrders(orderIds: string[], types: string[], actor: string, before: unknown, after: unknown): string[] {
    const ledger = deps.ledger();
    const retried: string[] = [];
    for (const e of ledger.exceptions.live('orders')) {
      if (e.record.type !== 'order' || !orderIds.includes(e.record.key) || !types.includes(e.type)) continue;
      ledger.exceptions.transition(e.id, 'retrying', 'correct', actor, now(), { before, after });
      repo().event(e.record.key, 'operator', `${actor} corrected the mapping and retried (${e.type})`, now(), { before, after });
      retried.push(e.record.key);
    }
    if (retried.length) deps.runSoon();
    return retried;
  }

  const blockedWith = (sql: string, arg: string): string[] =>
    deps
      .ledger()
      .db.prepare(
        `SELECT DISTINCT o.order_id FROM marketplace_orders o JOIN marketplace_order_lines l ON l.order_id = o.order_id WHERE o.stage IN ('blocked','held') AND ${sql}`,
      )
      .pluck()
      .all(arg) as string[];

  return {
    queries: {
      'orders.list': (req) => {
        const { rows, total } = repo().list(req);
        return { rows: rows.map(summary), total, stages: repo().countByStage() };
      },
      'orders.get': (req): OrderDetail | null => {
        const r = repo();
        const row = r.get(req.orderId);
        if (!row) return null;
        const order = r.order(req.orderId);
        return {
          order: summary(row),
          lines: (order?.lines ?? []).map((l) => ({
            orderLineId: l.orderLineId,
            sku: l.sku,
            itemCode: l.sku ? r.itemCodeFor(l.sku) : null,
            quantity: l.quantity,
            state: l.state,
            unitPrice: l.unitPrice?.toFixed(2) ?? null,
          })),
          events: r.events(req.orderId).map(({ id, at, source, summary: s }) => ({ id, at, source, summary: s })),
        };
      },
      'orders.skuMappings': (req) => repo().skuMappings({ ...(req.search?.trim() ? { search: req.search.trim() } : {}), limit: req.limit, offset: req.offset }),
      'orders.vatMappings': () =>
        repo()
          .vatMappings()
          .map(({ taxCode, rate, vatGroup, source, updatedBy, updatedAt }) => ({ taxCode, rate, vatGroup, source, updatedBy, updatedAt })),
    },
    commands: {
      'orders.decide': (req) => {
        const r = repo();
        const row = r.get(req.orderId);
        if (!row) throw new ContractError('failed', `No order ${req.orderId}`);
        if (row.marketplaceState !== 'awaiting-acceptance')
          throw new ContractError('failed', `Order ${req.orderId} is ${row.stateCode ?? row.marketplaceState}: there is nothing to decide`);
        r.setDecision(req.orderId, req.decision, now());
        r.event(req.orderId, 'operator', `${req.actor} decided to ${req.decision} the order`, now());
        for (const e of deps.ledger().exceptions.live('orders')) {
          if (e.record.type === 'order' && e.record.key === req.orderId)
            deps.ledger().exceptions.transition(e.id, 'retrying', 'correct', req.actor, now(), { after: { decision: req.decision } });
        }
        deps.logger.info('Operator decided on an order', { orderId: req.orderId, decision: req.decision, actor: req.actor });
        deps.runSoon();
        return summary(r.get(req.orderId)!);
      },
      'orders.mapSku': (req) => {
        const { before } = repo().mapSku(req.sku, req.itemCode, now());
        deps.logger.info('SKU mapping corrected', { sku: req.sku, itemCode: req.itemCode, actor: req.actor });
        return {
          retried: retryOrders(
            blockedWith('l.sku = ?', req.sku),
            ['sku-unknown', 'item-frozen', 'item-tracking-mismatch', 'acceptance-needed'],
            req.actor,
            { sku: req.sku, itemCode: before ?? req.sku },
            { sku: req.sku, itemCode: req.itemCode },
          ),
        };
      },
      'orders.mapVat': (req) => {
        const { before } = repo().mapVat({ taxCode: req.taxCode, rate: req.rate, vatGroup: req.vatGroup, source: 'operator', by: req.actor }, now());
        deps.logger.info('VAT mapping corrected', { taxCode: req.taxCode, rate: req.rate, vatGroup: req.vatGroup, actor: req.actor });
        const blocked = deps.ledger().db.prepare("SELECT order_id FROM marketplace_orders WHERE stage = 'blocked'").pluck().all() as string[];
        return {
          retried: retryOrders(
            blocked,
            ['vat-mapping-missing', 'totals-differ'],
            req.actor,
            { taxCode: req.taxCode, rate: req.rate, vatGroup: before },
            { taxCode: req.taxCode, rate: req.rate, vatGroup: req.vatGroup },
          ),
        };
      },
      'orders.preflight': async (req) => {
        const sap = deps.sap();
        if (!sap) throw new ContractError('failed', 'SAP is not configured (Settings → Connections)');
        const report = await preflight(sap, deps.settings(), { createFields: req.createFields });
        deps.logger.info('Orders preflight', { actor: req.actor, ok: report.ok, created: report.createdFields });
        if (report.createdFields.length) deps.runSoon();
        return report;
      },
    },
  };
}
