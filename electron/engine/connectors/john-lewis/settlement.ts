import type {
  AccountingDocument,
  AccountingDocumentQuery,
  BillingCycle,
  BillingCycleQuery,
  Page,
  SeekPage,
  TransactionLine,
  TransactionQuery,
} from '../ports/marketplace';
import type { Clock } from '../../ports';
import type { MiraklClient } from './client';
import { furtherPages } from './limits';
import { arr, dec, int, obj, str } from './read';
import { shopModel } from './states';
import { paymentState, transactionKind } from './transaction-kinds';

const DAY_MS = 24 * 60 * 60_000;
/** How far back the day's reads of billing cycles and accounting documents go: a year and a month, as lines are kept. */
export const FINANCE_LOOKBACK_DAYS = 400;
/** A day's listing is read to its end within this many pages (SBC11: 1,000 cycles a page; IV01: 100 documents). */
const MAX_PAGES = 50;

/** TL02: one page (≤ 2,000 lines); the caller follows `nextPageToken` (the token alone carries the listing). */
export async function listTransactions(client: MiraklClient, query: TransactionQuery = {}): Promise<SeekPage<TransactionLine>> {
  const limit = Math.min(2000, query.limit ?? 2000);
  const params = query.pageToken
    ? { page_token: query.pageToken, limit }
    : {
        seller_billing_cycle_id: query.billingCycleId ? [query.billingCycleId] : undefined,
        last_updated_from: query.lastUpdatedFrom,
        order_id: query.orderIds,
        limit,
      };
  const { body } = await client.ok({ operation: 'TL02', method: 'GET', path: '/api/sellerpayment/transactions_logs', idempotent: true, params });
  const b = obj(body);
  return {
    items: arr(b.data).map((t) => {
      const entities = obj(t.entities);
      // The spec's example has the shop on each line (undeclared in its schema); `shop_model` is taken too.
      const model = str(obj(t.shop).model) ?? str(t.shop_model);
      return {
        id: str(t.id) ?? '',
        kind: transactionKind(str(t.type)),
        typeCode: str(t.type),
        amount: dec(t.amount),
        currency: str(t.currency_iso_code),
        paymentState: paymentState(str(t.payment_state)),
        paymentStateCode: str(t.payment_state),
        billingCycleId: str(t.seller_billing_cycle_id),
        accountingDocumentNumber: str(t.accounting_document_number),
        orderId: str(obj(entities.order).id),
        commercialId: str(obj(entities.order).commercial_id),
        orderLineId: str(obj(entities.order_line).id),
        refundId: str(obj(entities.refund).id),
        dateCreated: str(t.date_created),
        lastUpdated: str(t.last_updated),
        ...(model !== null ? { shopModel: shopModel(model) } : {}),
        raw: t,
      };
    }),
    nextPageToken: str(b.next_page_token),
  };
}

/**
 * SBC11, once a day: every billing cycle of the last FINANCE_LOOKBACK_DAYS, all pages (only the first counts against
 * the day's allowance). Read through a DailyRead, which keeps it across restarts.
 */
export async function fetchBillingCycles(client: MiraklClient, clock: Clock): Promise<unknown> {
  const data: unknown[] = [];
  let pageToken: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const params = pageToken
      ? { page_token: pageToken, limit: 1000 }
      : { start_date: new Date(clock.now() - FINANCE_LOOKBACK_DAYS * DAY_MS).toISOString(), limit: 1000 };
    const { body } = await client.ok({
      operation: 'SBC11',
      governorKey: page === 0 ? 'SBC11' : furtherPages('SBC11'),
      method: 'GET',
      path: '/api/seller-billing-cycles',
      idempotent: true,
      params,
    });
    const b = obj(body);
    data.push(...arr(b.data));
    pageToken = str(b.next_page_token);
    if (!pageToken) break;
  }
  return { data };
}

export function parseBillingCycles(body: unknown): BillingCycle[] {
  return arr(obj(body).data).map((c) => {
    const payOut = obj(c.pay_out);
    return {
      id: str(c.id) ?? '',
      startDate: str(c.start_date) ?? str(c.date_created),
      endDate: str(c.end_date),
      currency: str(c.currency_iso_code),
      amountTransferredToSeller: dec(c.amount_transferred_to_seller),
      payOutState: str(payOut.state),
      payOutReference: str(payOut.reference),
      payOutDate: str(payOut.transaction_date),
      raw: c,
    };
  });
}

/** The day's cycles created between the query's dates (inclusive), as SBC11's own filter would give them. */
export function billingCyclesBetween(cycles: readonly BillingCycle[], query: BillingCycleQuery = {}): BillingCycle[] {
  const from = query.startDate ? Date.parse(query.startDate) : -Infinity;
  const to = query.endDate ? Date.parse(query.endDate) : Infinity;
  return cycles.filter((c) => {
    const created = Date.parse(str(c.raw.date_created) ?? c.startDate ?? '');
    return Number.isNaN(created) || (created >= from && created <= to);
  });
}

/**
 * IV01, once a day: every accounting document of the last FINANCE_LOOKBACK_DAYS (type ALL: the default is the
 * AUTO_INVOICE only, and manual invoices and credits matter to the books too), all pages (only the first counts against
 * the day's allowance). Read through a DailyRead, which keeps it across restarts.
 */
export async function fetchAccountingDocuments(client: MiraklClient, clock: Clock): Promise<unknown> {
  const invoices: unknown[] = [];
  const startDate = new Date(clock.now() - FINANCE_LOOKBACK_DAYS * DAY_MS).toISOString();
  for (let page = 0; page < MAX_PAGES; page++) {
    const { body } = await client.ok({
      operation: 'IV01',
      governorKey: page === 0 ? 'IV01' : furtherPages('IV01'),
      method: 'GET',
      path: '/api/invoices',
      idempotent: true,
      params: { type: 'ALL', start_date: startDate, offset: page * 100, max: 100 },
    });
    const b = obj(body);
    const items = arr(b.invoices);
    invoices.push(...items);
    const total = int(b.total_count);
    if (items.length < 100 || (total !== null && invoices.length >= total)) break;
  }
  return { invoices };
}

export function parseAccountingDocuments(body: unknown): AccountingDocument[] {
  return arr(obj(body).invoices).map((i) => ({
    id: str(i.invoice_id) ?? str(i.id),
    type: str(i.type),
    state: str(i.state),
    issueDate: str(i.issue_date),
    totalExclTaxes: dec(i.total_amount_excl_taxes),
    totalInclTaxes: dec(i.total_amount_incl_taxes),
    currency: str(i.currency_iso_code),
    // Not in the schema, but in the spec's own example.
    billingCycleId: str(i.seller_billing_cycle_id),
    raw: i,
  }));
}

/** One page of the day's documents, filtered by cycle as IV01's own filter would. */
export function accountingDocumentsPage(documents: readonly AccountingDocument[], query: AccountingDocumentQuery = {}): Page<AccountingDocument> {
  const matching = query.billingCycleId ? documents.filter((d) => d.billingCycleId === query.billingCycleId) : [...documents];
  const offset = Math.max(0, query.offset ?? 0);
  return { items: matching.slice(offset, offset + Math.min(100, query.max ?? 100)), totalCount: matching.length };
}
