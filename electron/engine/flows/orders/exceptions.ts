import { isSapFailure } from '../../connectors/ports/sap';
import type { ExceptionTypeOf } from '../../../../shared/domain/exception-catalogue';

/** The problems the orders flow raises: its part of the exception catalogue, which holds their severity and fix. */
export type OrderExceptionType = ExceptionTypeOf<'orders'>;

/** A business failure of one order: waits for a person (not retried by itself). */
export class OrderProblem extends Error {
  constructor(
    readonly type: OrderExceptionType,
    readonly summary: string,
    readonly rawError: string | null = null,
  ) {
    super(summary);
    this.name = 'OrderProblem';
  }
}

/** Sorts SAP's refusal of a Sales Order (as the connector read it from SAP's message) into the exception an operator can act on. */
export function classifySapRefusal(error: unknown, orderId: string, refused = 'the Sales Order'): OrderProblem | null {
  if (!isSapFailure(error) || !error.refusal) return null;
  const raw = error.sapMessage ?? error.message;
  const says = (summary: string, type: OrderExceptionType) => new OrderProblem(type, `${orderId}: ${summary}`, raw);
  switch (error.refusal) {
    case 'field-missing':
      return says('SAP does not have the user-defined field the order id goes in', 'udf-missing');
    case 'currency':
      return says('SAP refused the order’s currency', 'value-unfit');
    case 'customer-unknown':
      return says('SAP does not know the marketplace business partner', 'business-partner-missing');
    case 'item-unknown':
      return says('an SKU has no item in SAP', 'sku-unknown');
    case 'item-inactive':
      return says('an item is inactive or frozen in SAP', 'item-frozen');
    case 'address':
      return says('SAP refused the delivery address', 'address-rejected');
    case 'vat':
      return says('SAP refused a VAT group', 'vat-mapping-missing');
    default:
      return says(`SAP refused ${refused}`, 'sap-rejected');
  }
}
