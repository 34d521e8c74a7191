import Decimal from 'decimal.js';
import type { FeeInvoiceDraft, PayoutPaymentDraft, PayoutPostings, PostedDocument } from '../ports/sap';
import type { DocumentDraft, SapDocument } from './documents';
import type { SapConnector } from './index';
import { SapBusinessError } from './errors';
import { sapQuery } from './query';

/** SAP's field sizes: Remarks (Comments) 254 characters, a service line's description 100. */
const REMARKS_SIZE = 254;
const DESCRIPTION_SIZE = 100;

const dec = (v: unknown) => new Decimal(typeof v === 'number' || typeof v === 'string' ? v : 0);

/**
 * Of the documents found by a reference, the one that stands: the oldest not cancelled, else the newest cancelled (a
 * person reversed the posting; the flow decides what that means).
 */
function standing<T extends { docEntry: number; cancelled: boolean }>(found: T[]): T | undefined {
  const sorted = [...found].sort((a, b) => a.docEntry - b.docEntry);
  return sorted.find((d) => !d.cancelled) ?? sorted.at(-1);
}

const postedInvoice = (d: SapDocument): PostedDocument => ({ docEntry: d.DocEntry, docNum: d.DocNum, total: d.DocTotal, cancelled: d.Cancelled === 'tYES' });

function postedPayment(raw: Record<string, unknown>): PostedDocument {
  return {
    docEntry: Number(raw.DocEntry),
    docNum: Number(raw.DocNum),
    total: dec(raw.TransferSum).plus(dec(raw.CashSum)),
    cancelled: raw.Cancelled === 'tYES',
  };
}

/** The A/P Invoice for a draft: a service document of G/L lines, the marketplace's invoice number as supplier reference. */
export function feeInvoiceDocument(draft: FeeInvoiceDraft): DocumentDraft {
  return {
    DocType: 'dDocument_Service',
    CardCode: draft.supplier,
    NumAtCard: draft.supplierReference,
    DocDate: draft.postingDate,
    TaxDate: draft.postingDate,
    Comments: draft.remarks.slice(0, REMARKS_SIZE),
    DocumentLines: draft.lines.map((l) => ({
      AccountCode: l.account,
      ItemDescription: l.description.slice(0, DESCRIPTION_SIZE),
      LineTotal: l.net,
      VatGroup: l.vatGroup,
    })),
    ...(draft.rounding && !draft.rounding.isZero() ? { Rounding: 'tYES' as const, RoundingDiffAmount: draft.rounding } : {}),
  };
}

type PaidDocument = PayoutPaymentDraft['documents'][number];
const documentKey = (d: Pick<PaidDocument, 'kind' | 'docEntry'>) => `${d.kind}:${d.docEntry}`;
const SET_OF = { invoice: 'Invoices', 'credit-memo': 'CreditNotes' } as const;
const WORD_OF = { invoice: 'Invoice', 'credit-memo': 'Credit Memo' } as const;
/** Documents read a request (an `or` of `eq`s: SAP has no `in`, and a long filter makes a long URL). */
const PER_REQUEST = 20;

/** What each document still has open in SAP (DocTotal less PaidToDate), by kind and DocEntry. */
async function openAmounts(connector: SapConnector, documents: readonly PaidDocument[]): Promise<Map<string, { open: Decimal; docNum: number }>> {
  const out = new Map<string, { open: Decimal; docNum: number }>();
  for (const kind of ['invoice', 'credit-memo'] as const) {
    const entries = [...new Set(documents.filter((d) => d.kind === kind).map((d) => d.docEntry))];
    for (let i = 0; i < entries.length; i += PER_REQUEST) {
      const part = entries.slice(i, i + PER_REQUEST);
      const rows = await connector.listAll<Record<string, unknown>>(
        sapQuery(SET_OF[kind])
          .select('DocEntry', 'DocNum', 'DocTotal', 'PaidToDate')
          .filter((f) => f.or(...part.map((e) => f.eq('DocEntry', e)))),
      );
      for (const r of rows)
        out.set(documentKey({ kind, docEntry: Number(r.DocEntry) }), { open: dec(r.DocTotal).minus(dec(r.PaidToDate)), docNum: Number(r.DocNum) });
    }
  }
  return out;
}

/**
 * The Incoming Payment for a payout: the transfer to the bank or clearing account, applied to the invoices (positive)
 * and the credit memos (negative, as SAP applies them) it pays. A document's amount in the draft is taken as its size
 * whatever its sign: the kind says which way it counts.
 *
 * SAP has already settled part of some of them with each other: a Credit Memo copied from an open Invoice is reconciled
 * with it as it is added, so the Invoice has that much less open and the Credit Memo nothing. So each document is
 * applied with what it has open, up to its amount in the draft; the payment then settles the same net the draft asks.
 * Where it would not (SAP settled a document otherwise: another payment, a reconciliation by hand), nothing is sent:
 * the payout would land partly on account.
 */
export function payoutPaymentBody(draft: PayoutPaymentDraft, open: ReadonlyMap<string, { open: Decimal; docNum: number }> = new Map()) {
  const applied = draft.documents.map((d) => {
    const wanted = d.amount.abs();
    const inSap = open.get(documentKey(d));
    return { document: d, wanted, sum: inSap ? Decimal.max(0, Decimal.min(wanted, inSap.open)) : wanted, inSap };
  });
  const signed = (kind: PaidDocument['kind'], v: Decimal) => (kind === 'invoice' ? v : v.negated());
  const asked = applied.reduce((t, a) => t.plus(signed(a.document.kind, a.wanted)), new Decimal(0));
  const settled = applied.reduce((t, a) => t.plus(signed(a.document.kind, a.sum)), new Decimal(0));
  if (!asked.equals(settled)) {
    const short = applied
      .filter((a) => a.sum.lt(a.wanted))
      .map((a) => `${WORD_OF[a.document.kind]} ${a.inSap?.docNum ?? a.document.docEntry} has ${a.sum.toFixed(2)} open of ${a.wanted.toFixed(2)}`);
    throw new SapBusinessError(
      `SAP has already settled part of what this payout pays (${short.join('; ')}): the payment would not settle ${asked.toFixed(2)} of documents`,
      { kind: 'business', method: 'POST', path: 'IncomingPayments' },
    );
  }
  return {
    DocType: 'rCustomer' as const,
    CardCode: draft.customer,
    DocDate: draft.date,
    TransferAccount: draft.account,
    TransferSum: draft.amount,
    TransferDate: draft.date,
    TransferReference: draft.reference,
    Remarks: draft.remarks.slice(0, REMARKS_SIZE),
    PaymentInvoices: applied
      .filter((a) => a.sum.gt(0))
      .map((a) => ({
        DocEntry: a.document.docEntry,
        InvoiceType: a.document.kind === 'invoice' ? ('it_Invoice' as const) : ('it_CredItnote' as const),
        SumApplied: signed(a.document.kind, a.sum),
      })),
  };
}

/** A payout posted into SAP (connectors/ports/sap.ts PayoutPostings), over the Service Layer connector. */
export function payoutPostings(connector: SapConnector): PayoutPostings {
  const findPaymentRaw = async (customer: string, reference: string) =>
    standing(
      (
        await connector.listAll<Record<string, unknown>>(
          sapQuery('IncomingPayments')
            .select('DocEntry', 'DocNum', 'TransferSum', 'CashSum', 'Cancelled')
            .filter((f) => f.and(f.eq('CardCode', customer), f.eq('TransferReference', reference)))
            .orderBy('DocEntry', 'asc'),
        )
      ).map(postedPayment),
    );

  return {
    async findFeeInvoice(supplier, supplierReference) {
      return standing((await connector.purchaseInvoices.findByNumAtCard(supplierReference, supplier)).map(postedInvoice));
    },
    async createFeeInvoice(draft, lookup) {
      const { document, recovered } = await connector.purchaseInvoices.create(feeInvoiceDocument(draft), async () => {
        const found = await lookup();
        // The lookup answers in the flows' shape; the document is read again as SAP holds it.
        return found ? await connector.purchaseInvoices.get(found.docEntry) : undefined;
      });
      return { document: postedInvoice(document), recovered };
    },
    findPayment: findPaymentRaw,
    async createPayment(draft, lookup) {
      const body = payoutPaymentBody(draft, await openAmounts(connector, draft.documents));
      const { entity, recovered } = await connector.incomingPayments.create(body, async () => {
        const found = await lookup();
        return found ? await connector.get<Record<string, unknown>>('IncomingPayments', found.docEntry) : undefined;
      });
      return { document: postedPayment(entity), recovered };
    },
  };
}
