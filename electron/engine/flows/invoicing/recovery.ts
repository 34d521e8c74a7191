import { count, type InvoicingEnv } from './env';
import { copies, CREATE_OPERATION, expectedOf, invoiceQuery, recordInvoiced, youngIntent, type InvoiceIntent } from './invoice';

/**
 * The outbox: an invoice create without an outcome (SAP never answered it, or the engine died while it was in flight)
 * is settled by asking SAP for the order's invoices once the settle time has passed, never sooner, because SAP may
 * still commit it. One copying the lines the intent sent: the invoice landed, it is bound and the intent closed. None:
 * the create never landed; the intent is closed and the order's Delivery Notes stay due (looked up again before any
 * create). Each intent on its own: a lookup that fails stays open and is tried again next run.
 */
export async function recoverIntents(env: InvoicingEnv): Promise<void> {
  const { ctx, repo } = env;
  for (const intent of ctx.ledger.intents.pending('invoicing')) {
    if (intent.system !== 'sap-b1' || intent.operation !== CREATE_OPERATION) continue;
    const orderId = intent.recordKey;
    if (youngIntent(env, orderId)) continue;
    const sent = intent.payload as InvoiceIntent | null;
    const keys = new Set((sent?.lines ?? []).flatMap((l) => (l.base ? [`${l.base.docEntry}:${l.base.lineNum}`] : [])));
    try {
      const bound = new Set(repo.invoicesOf(orderId).map((i) => i.docEntry));
      const invoice = (await env.sap.invoices.forMarketplaceOrder(invoiceQuery(env, orderId))).find((inv) => copies(inv, { lines: keys }));
      if (invoice) {
        ctx.ledger.intents.close(intent.id, 'found-existing', env.now(), { externalRef: String(invoice.docEntry) });
        if (!bound.has(invoice.docEntry))
          recordInvoiced(env, orderId, invoice, expectedOf(sent), 'Found in SAP after the create went unanswered (not sent again)', true);
        repo.landed(orderId, { docEntry: invoice.docEntry, docNum: invoice.docNum, total: invoice.total.toFixed(2) });
        count(env, 'recovered');
      } else {
        ctx.ledger.intents.close(intent.id, 'failed', env.now(), { error: 'Not in SAP after the settle time: the create never landed; it will be sent again' });
        repo.neverLanded(orderId);
        env.ctx.resolve('create-outcome-unknown', { type: 'order', key: orderId });
        repo.event(
          orderId,
          'engine',
          'An A/R Invoice create SAP never answered did not land (not found after the settle time); the order is invoiced again',
          env.now(),
        );
        count(env, 'neverLanded');
      }
    } catch (e) {
      ctx.logger.warn('Looking up an unanswered A/R Invoice create failed; tried again next run', {
        orderId,
        error: e instanceof Error ? e.message : String(e),
      });
      count(env, 'lookupFailed');
    }
  }
}
