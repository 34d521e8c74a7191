import { isSapFailure } from '../../connectors/ports/sap';
import type { ExceptionTypeOf } from '../../../../shared/domain/exception-catalogue';

/** The problems the invoicing flow raises on an order: its part of the exception catalogue, which holds their severity and fix. */
export type InvoicingExceptionType = ExceptionTypeOf<'invoicing'>;

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
