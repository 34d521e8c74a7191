import { isSapFailure } from '../../connectors/ports/sap';
import type { ExceptionCategory, Severity } from '../../../../shared/domain/exceptions';

/** Every problem the invoicing flow raises on an order, with what a person can do about it. */
export const INVOICING_EXCEPTIONS = {
  'invoice-total-differs': {
    severity: 'error',
    fix: 'The A/R Invoice in SAP totals differently from what the marketplace pays for the same lines and shipping (both figures shown). Check the invoice’s lines, VAT groups and freight in SAP and correct it there (a credit memo and a new invoice); dismiss with a note once it agrees.',
  },
  'totals-differ': {
    severity: 'error',
    fix: 'SAP would total this invoice differently from the marketplace by more than the allowed rounding (both figures shown): check the Delivery Note’s lines and VAT groups against the marketplace order, and the shipping setting, then retry.',
  },
  'sap-rejected': {
    severity: 'error',
    fix: 'SAP refused the A/R Invoice with the message shown. Correct the cause in SAP (the Delivery Note, the customer, the period), then retry; or invoice the Delivery Note in SAP by hand: the next batch finds that invoice and binds it.',
  },
  'delivery-line-unknown': {
    severity: 'error',
    fix: 'A Delivery Note line of this order is not on the marketplace order, so what the marketplace pays for it is unknown. Check the Delivery Note in SAP; invoice it by hand (the next batch finds and binds that invoice) or dismiss with a note.',
  },
  'marketplace-order-unknown': {
    severity: 'error',
    fix: 'The marketplace order behind this Delivery Note is not in the ledger, so what the marketplace pays is unknown. Check that the orders flow reads the order, then retry.',
  },
  'vat-unknown': {
    severity: 'error',
    fix: 'No SAP output VAT group fits the shipping charged on these lines (see the detail). Check the VAT mapping of the shipping tax in Orders → Mappings → VAT, then retry.',
  },
  'create-outcome-unknown': {
    severity: 'warning',
    category: 'technical',
    fix: 'SAP did not answer an A/R Invoice create in time. Nothing is sent again until a lookup after the settle time shows it did not land; no action is needed unless this stays for hours.',
  },
} as const satisfies Record<string, { severity: Severity; category?: ExceptionCategory; fix: string }>;

export type InvoicingExceptionType = keyof typeof INVOICING_EXCEPTIONS;

export const categoryOf = (type: InvoicingExceptionType): ExceptionCategory => {
  const spec = INVOICING_EXCEPTIONS[type];
  return 'category' in spec ? spec.category : 'business';
};

/** A business failure of one order's invoice: waits for a person. */
export class InvoiceProblem extends Error {
  constructor(
    readonly type: InvoicingExceptionType,
    readonly summary: string,
    readonly rawError: string | null = null,
  ) {
    super(summary);
    this.name = 'InvoiceProblem';
  }
}

/** SAP refused the invoice for a reason a person must fix: the exception, with SAP's words verbatim; null when the failure is technical. */
export function sapRefusal(error: unknown, orderId: string): InvoiceProblem | null {
  if (!isSapFailure(error) || !error.refusal) return null;
  const raw = error.sapMessage ?? error.message;
  return new InvoiceProblem('sap-rejected', `${orderId}: SAP refused the A/R Invoice: ${raw}`, raw);
}
