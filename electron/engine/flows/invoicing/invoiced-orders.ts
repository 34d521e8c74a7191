import type { Db } from '../../ledger/db';
import { InvoicingRepository } from './repository';

/** What the invoicing flow tells the flows after it (returns and refunds) about the orders it invoiced. */
export interface InvoicedOrders {
  /** The A/R Invoices bound to the order (bindings, entity 'invoice'), oldest first. */
  invoicesOf(orderId: string): { docEntry: number; docNum: number }[];
  /** Asks for the order to be invoiced at the invoicing flow's next run, ahead of its daily time (a refund or return is waiting for it). */
  requestNow(orderId: string, why: string): void;
}

/**
 * The invoicing flow's side of the returns flow's "invoice first": a refund or a received return for an order not
 * yet invoiced asks here, then runs the invoicing flow (`deps.runFlow('invoicing')`); that run invoices the orders
 * asked for, and only those, whatever the time of day.
 */
export function invoicedOrders(db: Db, now: () => Date = () => new Date()): InvoicedOrders {
  const repo = new InvoicingRepository(db);
  return {
    invoicesOf: (orderId) => repo.invoicesOf(orderId),
    requestNow(orderId, why) {
      repo.request(orderId, why, now());
      repo.event(orderId, 'engine', `Invoice asked for ahead of the daily batch: ${why}`, now());
    },
  };
}
