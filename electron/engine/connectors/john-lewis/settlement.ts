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
import type { MiraklClient } from './client';
import { arr, dec, int, obj, str } from './read';
import { paymentState, transactionKind } from './transaction-kinds';

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
        raw: t,
      };
    }),
    nextPageToken: str(b.next_page_token),
  };
}

/** SBC11 (seek paged; follows every page, bounded). */
export async function listBillingCycles(client: MiraklClient, query: BillingCycleQuery = {}): Promise<BillingCycle[]> {
  const out: BillingCycle[] = [];
  let pageToken: string | null = null;
  for (let page = 0; page < 100; page++) {
    const params: Record<string, string | undefined> = pageToken ? { page_token: pageToken } : { start_date: query.startDate, end_date: query.endDate };
    const { body } = await client.ok({ operation: 'SBC11', method: 'GET', path: '/api/seller-billing-cycles', idempotent: true, params });
    const b = obj(body);
    for (const c of arr(b.data)) {
      const payOut = obj(c.pay_out);
      out.push({
        id: str(c.id) ?? '',
        startDate: str(c.start_date) ?? str(c.date_created),
        endDate: str(c.end_date),
        currency: str(c.currency_iso_code),
        amountTransferredToSeller: dec(c.amount_transferred_to_seller),
        payOutState: str(payOut.state),
        payOutReference: str(payOut.reference),
        raw: c,
      });
    }
    pageToken = str(b.next_page_token);
    if (!pageToken) break;
  }
  return out;
}

export async function listAccountingDocuments(client: MiraklClient, query: AccountingDocumentQuery = {}): Promise<Page<AccountingDocument>> {
  const { body } = await client.ok({
    operation: 'IV01',
    method: 'GET',
    path: '/api/invoices',
    idempotent: true,
    params: {
      // The default type is AUTO_INVOICE only; manual invoices and credits matter to the books too.
      type: 'ALL',
      seller_billing_cycle_id: query.billingCycleId ? [query.billingCycleId] : undefined,
      offset: query.offset ?? 0,
      max: Math.min(100, query.max ?? 100),
    },
  });
  const b = obj(body);
  return {
    items: arr(b.invoices).map((i) => ({
      id: str(i.invoice_id) ?? str(i.id),
      type: str(i.type),
      state: str(i.state),
      issueDate: str(i.issue_date),
      totalExclTaxes: dec(i.total_amount_excl_taxes),
      totalInclTaxes: dec(i.total_amount_incl_taxes),
      currency: str(i.currency_iso_code),
      raw: i,
    })),
    totalCount: int(b.total_count),
  };
}
