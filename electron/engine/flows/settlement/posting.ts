import Decimal from 'decimal.js';
import { isSapFailure, type FeeInvoiceDraft, type PayoutPaymentDraft, type PostedDocument, type Sap } from '../../connectors/ports/sap';
import type { Ledger } from '../../ledger';
import type { Clock, Logger } from '../../ports';
import type { Settings } from '../../../../shared/domain/settings';
import { ukDay } from './lines';
import { createSettleMs } from '../settle-time';
import type { CycleRow, SettlementRepository } from './repository';

export const FEE_INVOICE_OPERATION = 'create-fee-invoice';
export const PAYMENT_OPERATION = 'create-payout-payment';

export interface PostingDeps {
  repo: SettlementRepository;
  ledger: Ledger;
  clock: Clock;
  logger: Logger;
  sap: () => Sap | null;
  settings: () => Settings;
}

export type PostingOutcome = { cycleId: string; outcome: 'posted' | 'found' | 'would-post' | 'refused'; message: string | null };

/** Which fee line kinds go on which line of the A/P Invoice, in words; their VAT lines are the marketplace's VAT on them. */
const FEE_LINES: { description: string; kinds: string[]; vatKinds: string[] }[] = [
  {
    description: 'Marketplace commission',
    kinds: ['commission', 'commission-reversal', 'purchase-commission'],
    vatKinds: ['commission-vat', 'commission-vat-reversal'],
  },
  { description: 'Marketplace subscription', kinds: ['subscription'], vatKinds: ['subscription-vat'] },
  { description: 'Marketplace invoices and credits', kinds: ['manual-invoice', 'manual-credit'], vatKinds: ['manual-invoice-vat', 'manual-credit-vat'] },
  { description: 'Marketplace seller fees and penalties', kinds: ['seller-fee'], vatKinds: ['seller-fee-vat'] },
];

const message = (e: unknown) => (isSapFailure(e) ? (e.sapMessage ?? e.message) : e instanceof Error ? e.message : String(e));

/** What a cycle's posting would send: the fee invoice (if the cycle has fees) and the payment, or why it cannot be posted. */
export function planPosting(
  deps: PostingDeps,
  cycle: CycleRow,
): { fee: FeeInvoiceDraft | null; feeVat: Decimal; feeTotal: Decimal; payment: PayoutPaymentDraft } | { refused: string } {
  const settings = deps.settings();
  const posting = settings.settlement.posting;
  if (!posting.enabled) return { refused: 'Posting payouts is switched off (Payouts → settings)' };
  const missing = (
    [
      ['the supplier code', posting.supplierCode],
      ['the fee account', posting.feeAccount],
      ['the bank or clearing account', posting.bankAccount],
    ] as const
  ).filter(([, v]) => !v);
  if (missing.length) return { refused: `Posting needs ${missing.map(([n]) => n).join(', ')} in Payouts → settings` };
  if (cycle.readState !== 'read' || !cycle.reconciledAt) return { refused: 'The cycle is not read and reconciled yet' };
  if (cycle.tieOut !== 'ties') return { refused: `The cycle does not tie out (difference ${cycle.tieOutDifference ?? '?'}): it is not posted until it does` };
  if (cycle.variances > 0) return { refused: `The cycle has ${cycle.variances} variance(s): correct them in SAP and reconcile again first` };
  const date = ukDay(cycle.endDate ?? cycle.startDate ?? new Date(deps.clock.now()).toISOString());

  // The fees as the marketplace states them: the seller pays a fee as a negative line, so the expense is its negation.
  const fees = deps.repo.feesByKind(cycle.cycleId);
  const sum = (kinds: string[]) => kinds.reduce((a, k) => a.plus(fees.get(k) ?? 0), new Decimal(0)).negated();
  const lines = FEE_LINES.map((l) => ({ description: l.description, net: sum(l.kinds), vat: sum(l.vatKinds) })).filter(
    (l) => !l.net.isZero() || !l.vat.isZero(),
  );
  const invoiceNumber = (cycle.accountingDocuments ?? []).find((d) => d.type === 'AUTO_INVOICE')?.id ?? null;
  if (lines.length && !invoiceNumber) return { refused: "The marketplace's invoice for the cycle's commission (IV01) is not read yet: reconcile again later" };
  // SAP works each line's VAT from the input group's rate; the marketplace summed its VAT per order. A rounding (no
  // larger than the orders' limit) makes SAP's total the marketplace's invoice; the UK rate each line is at is the one
  // nearest the marketplace's own VAT on it.
  const predicted = lines.reduce((a, l) => {
    const stated = l.net.isZero() ? new Decimal(0) : l.vat.div(l.net).times(100);
    const rate = [20, 5, 0].reduce((best, r) => (stated.minus(r).abs().lt(stated.minus(best).abs()) ? r : best), 20);
    return a.plus(l.net).plus(l.net.times(rate).div(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP));
  }, new Decimal(0));
  const stated = lines.reduce((a, l) => a.plus(l.net).plus(l.vat), new Decimal(0));
  const rounding = stated.minus(predicted);
  const fee: FeeInvoiceDraft | null = lines.length
    ? {
        ...(!rounding.isZero() && rounding.abs().lte(settings.orders.maxRounding) ? { rounding } : {}),
        supplier: posting.supplierCode!,
        supplierReference: invoiceNumber!,
        postingDate: date,
        remarks: `John Lewis Marketplace invoice ${invoiceNumber} for billing cycle ${cycle.cycleId}`,
        lines: lines.map((l) => ({ account: posting.feeAccount!, description: l.description, net: l.net, vatGroup: posting.inputVatGroup })),
      }
    : null;

  const documents = deps.repo.matchedDocuments(cycle.cycleId).map((d) => ({ kind: d.kind, docEntry: d.docEntry, amount: d.amount.abs() }));
  const amount = documents.reduce((a, d) => (d.kind === 'invoice' ? a.plus(d.amount) : a.minus(d.amount)), new Decimal(0));
  return {
    fee,
    feeVat: lines.reduce((a, l) => a.plus(l.vat), new Decimal(0)),
    feeTotal: stated,
    payment: {
      customer: settings.orders.cardCode,
      reference: cycle.payoutReference ?? cycle.cycleId,
      date,
      account: posting.bankAccount!,
      amount,
      documents,
      remarks: `John Lewis Marketplace payout ${cycle.payoutReference ?? ''} for billing cycle ${cycle.cycleId}`.replace(/ {2,}/g, ' '),
    },
  };
}

/**
 * Creates one document through the outbox, exactly once: looked up first; an intent still unanswered and younger
 * than the settle time refuses (SAP may yet commit it); a lost answer is looked up before anything is sent again.
 */
async function once(
  deps: PostingDeps,
  operation: string,
  recordKey: string,
  payload: unknown,
  find: () => Promise<PostedDocument | undefined>,
  create: (lookup: () => Promise<PostedDocument | undefined>) => Promise<{ document: PostedDocument; recovered: boolean }>,
): Promise<{ document: PostedDocument; found: boolean }> {
  const now = () => new Date(deps.clock.now());
  const settleMs = createSettleMs(deps.settings());
  const open = deps.ledger.intents.forRecord('sap-b1', operation, recordKey).filter((i) => i.outcome === null);
  const existing = await find();
  if (existing && !existing.cancelled) {
    for (const i of open) deps.ledger.intents.close(i.id, 'found-existing', now(), { externalRef: String(existing.docEntry) });
    return { document: existing, found: true };
  }
  const young = deps.ledger.intents.settling('sap-b1', operation, recordKey, now(), settleMs);
  if (young)
    throw new Error(`SAP has not answered an earlier attempt yet; nothing is sent before ${new Date(Date.parse(young.createdAt) + settleMs).toISOString()}`);
  for (const i of open) deps.ledger.intents.close(i.id, 'failed', now(), { error: 'Not in SAP after the settle time: it never landed' });
  const intent = deps.ledger.intents.record({ flow: 'settlement', system: 'sap-b1', operation, recordKey, payload }, now());
  try {
    const { document } = await create(find);
    deps.ledger.intents.close(intent.id, 'succeeded', now(), { externalRef: String(document.docEntry) });
    return { document, found: false };
  } catch (e) {
    if (isSapFailure(e) && e.outcomeUnknown) deps.ledger.intents.note(intent.id, `No answer: ${message(e)}`);
    else deps.ledger.intents.close(intent.id, 'failed', now(), { error: message(e) });
    throw e;
  }
}

/** Posts one reconciled cycle: the fee A/P Invoice (if the cycle has fees), then the Incoming Payment. */
export async function postCycle(deps: PostingDeps, cycleId: string): Promise<PostingOutcome> {
  const cycle = deps.repo.cycle(cycleId);
  if (!cycle) return { cycleId, outcome: 'refused', message: `No billing cycle ${cycleId}` };
  const plan = planPosting(deps, cycle);
  if (cycle.posted) {
    // Posted before: it stands unless a person cancelled the payment in SAP (a reversal), which this post then redoes.
    const sap = deps.sap();
    const standing =
      sap && !('refused' in plan) ? await sap.payouts.findPayment(plan.payment.customer, plan.payment.reference).catch(() => undefined) : undefined;
    if (!standing || !standing.cancelled)
      return {
        cycleId,
        outcome: 'found',
        message: `Already posted: payment ${cycle.posted.paymentNum ?? '—'}, fee invoice ${cycle.posted.feeInvoiceNum ?? '—'}`,
      };
  }
  if ('refused' in plan) return { cycleId, outcome: 'refused', message: plan.refused };
  const describe = `${plan.fee ? `an A/P Invoice of ${plan.fee.lines.reduce((a, l) => a.plus(l.net), new Decimal(0)).toFixed(2)} + VAT ${plan.feeVat.toFixed(2)} from ${plan.fee.supplier} (their invoice ${plan.fee.supplierReference}), ` : ''}an Incoming Payment of ${plan.payment.amount.toFixed(2)} for ${plan.payment.documents.length} document(s) to account ${plan.payment.account}`;
  if (deps.settings().dryRun) return { cycleId, outcome: 'would-post', message: `Would post ${describe}` };
  const sap = deps.sap();
  if (!sap) return { cycleId, outcome: 'refused', message: 'SAP is not configured (Connections)' };
  try {
    let fee: { document: PostedDocument; found: boolean } | null = null;
    if (plan.fee) {
      const draft = plan.fee;
      fee = await once(
        deps,
        FEE_INVOICE_OPERATION,
        cycleId,
        draft,
        () => sap.payouts.findFeeInvoice(draft.supplier, draft.supplierReference),
        (lookup) => sap.payouts.createFeeInvoice(draft, lookup),
      );
    }
    const payment = await once(
      deps,
      PAYMENT_OPERATION,
      cycleId,
      plan.payment,
      () => sap.payouts.findPayment(plan.payment.customer, plan.payment.reference),
      (lookup) => sap.payouts.createPayment(plan.payment, lookup),
    );
    deps.repo.markPosted(cycleId, { feeInvoiceNum: fee?.document.docNum ?? null, paymentNum: payment.document.docNum }, new Date(deps.clock.now()));
    deps.logger.info('Payout posted into SAP', { cycleId, feeInvoice: fee?.document.docNum ?? null, payment: payment.document.docNum });
    const found = payment.found && (fee?.found ?? true);
    const feeDiffers =
      fee && !fee.document.total.equals(plan.feeTotal)
        ? ` — the A/P Invoice totals ${fee.document.total.toFixed(2)}, the marketplace's invoice ${plan.feeTotal.toFixed(2)}: check its VAT in SAP`
        : '';
    return {
      cycleId,
      outcome: found ? 'found' : 'posted',
      message: `${found ? 'Found in SAP' : 'Posted'}: ${fee ? `A/P Invoice ${fee.document.docNum}, ` : ''}Incoming Payment ${payment.document.docNum} (${payment.document.total.toFixed(2)})${feeDiffers}`,
    };
  } catch (e) {
    return { cycleId, outcome: 'refused', message: `SAP: ${message(e)}` };
  }
}
