import { isSapError } from '../../connectors/sap-b1';
import type { Severity } from '../../../../shared/domain/exceptions';

/** Every problem the orders flow raises, with the sentence an operator reads and what they can do. */
export const ORDER_EXCEPTIONS = {
  'acceptance-needed': { severity: 'warning', fix: 'Decide in Orders: accept the order, or refuse it (lines without stock or without a sellable SAP item). The marketplace refuses it by itself at the deadline.' },
  'acceptance-deadline-near': { severity: 'critical', fix: 'Less than 2 hours before the marketplace refuses this order by itself: accept or refuse it now in Orders.' },
  'sku-unknown': { severity: 'error', fix: 'Map the SKU to the SAP item it is sold as (Orders → Mappings → SKU), then retry. Or create the item in SAP with the SKU as its ItemCode.' },
  'vat-mapping-missing': { severity: 'error', fix: 'Map the marketplace tax code/rate to an SAP output VAT group (Orders → Mappings → VAT), then retry.' },
  'business-partner-missing': { severity: 'critical', fix: 'Create the marketplace customer in SAP (Business Partner Master Data) or correct its CardCode in Orders → Orders settings, then retry.' },
  'udf-missing': { severity: 'critical', fix: 'Use Orders → Orders settings → Check SAP company and let it create the user-defined fields (or create them in SAP: Tools → Customization Tools → User-Defined Fields), then retry.' },
  'item-frozen': { severity: 'error', fix: 'Make the item active in SAP (Item Master Data: Active, not Inactive/Frozen) or map the SKU to another item, then retry.' },
  'item-tracking-mismatch': { severity: 'error', fix: 'The item is batch/serial-tracked in this business but SAP does not manage it that way: set Manage Batch/Serial Numbers on the SAP Item Master (or remove the SKU from the tracked SKUs in Orders → Orders settings), then retry.' },
  'address-rejected': { severity: 'error', fix: 'SAP refused the delivery address: check the country and postcode in SAP (Administration → Setup → General → Countries), then retry. The address as received is on the order.' },
  'totals-differ': { severity: 'error', fix: 'SAP would total this order differently from the marketplace by more than a rounding: check the VAT mapping of its lines and the shipping setting, then retry.' },
  'sap-rejected': { severity: 'error', fix: 'SAP refused the Sales Order with the message shown. Correct the cause in SAP or in the mappings, then retry; or dismiss and enter the order by hand.' },
  'cancelled-after-delivery': { severity: 'error', fix: 'The order was cancelled on the marketplace after SAP delivered (some of) it: reverse the Delivery Note in SAP (Return) and close the Sales Order, then dismiss with a note.' },
  'line-cancelled-after-posting': { severity: 'warning', fix: 'A line was cancelled on the marketplace after the Sales Order was posted: close that row of the Sales Order in SAP, then dismiss.' },
  'posting-lease-held': { severity: 'warning', fix: 'Another console posts orders for this SAP company. If that console no longer runs, its lease expires by itself; otherwise run orders from one console only.' },
} as const satisfies Record<string, { severity: Severity; fix: string }>;
export type OrderExceptionType = keyof typeof ORDER_EXCEPTIONS;

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

/**
 * Sorts SAP's refusal of a Sales Order into the exception an operator can act on, by SAP's own message
 * (SAP uses -10 for most business rules, so the code alone says little).
 */
export function classifySapRefusal(error: unknown, orderId: string): OrderProblem | null {
  if (!isSapError(error) || (error.kind !== 'business' && error.kind !== 'not-found' && error.kind !== 'batch-selection')) return null;
  const raw = error.sapMessage ?? error.message;
  const text = raw.toLowerCase();
  const says = (summary: string, type: OrderExceptionType) => new OrderProblem(type, `${orderId}: ${summary}`, raw);
  if (/property 'u_/.test(text)) return says('SAP does not have the user-defined field the order id goes in', 'udf-missing');
  if (/invalid bp code|business partner/.test(text)) return says('SAP does not know the marketplace business partner', 'business-partner-missing');
  if (/invalid item code/.test(text)) return says('an SKU has no item in SAP', 'sku-unknown');
  if (/inactive|frozen/.test(text)) return says('an item is inactive or frozen in SAP', 'item-frozen');
  if (/country|address|shipto|zip|post ?code|county|state/.test(text)) return says('SAP refused the delivery address', 'address-rejected');
  if (/vat|tax/.test(text)) return says('SAP refused a VAT group', 'vat-mapping-missing');
  return says('SAP refused the Sales Order', 'sap-rejected');
}
