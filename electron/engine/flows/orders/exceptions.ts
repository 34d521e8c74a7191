import { isSapFailure } from '../../connectors/ports/sap';
import type { ExceptionCategory, Severity } from '../../../../shared/domain/exceptions';

/** Every problem the orders flow raises, with the sentence an operator reads and what they can do. */
export const ORDER_EXCEPTIONS = {
  'acceptance-needed': {
    severity: 'warning',
    fix: 'Decide in Orders: accept the order, or refuse it (lines without stock or without a sellable SAP item). The marketplace refuses it by itself at the deadline.',
  },
  'acceptance-deadline-near': {
    severity: 'critical',
    fix: 'Less than 2 hours before the marketplace refuses this order by itself: accept or refuse it now in Orders.',
  },
  'sku-unknown': {
    severity: 'error',
    fix: 'Map the SKU to the SAP item it is sold as (Orders → Mappings → SKU), then retry. Or create the item in SAP with the SKU as its ItemCode.',
  },
  'vat-mapping-missing': { severity: 'error', fix: 'Map the marketplace tax code/rate to an SAP output VAT group (Orders → Mappings → VAT), then retry.' },
  'business-partner-missing': {
    severity: 'critical',
    fix: 'Create the marketplace customer in SAP (Business Partner Master Data) or correct its CardCode in Orders → Orders settings, then retry.',
  },
  'udf-missing': {
    severity: 'critical',
    fix: 'Use Orders → Orders settings → Check SAP company and let it create the user-defined fields (or create them in SAP: Tools → Customization Tools → User-Defined Fields), then retry.',
  },
  'item-frozen': {
    severity: 'error',
    fix: 'Make the item active in SAP (Item Master Data: Active, not Inactive/Frozen) or map the SKU to another item, then retry.',
  },
  'item-tracking-mismatch': {
    severity: 'error',
    fix: 'The item is batch/serial-tracked in this business but SAP does not manage it that way: set Manage Batch/Serial Numbers on the SAP Item Master (or remove the SKU from the tracked SKUs in Orders → Orders settings), then retry.',
  },
  'address-rejected': {
    severity: 'error',
    fix: 'SAP refused the delivery address: check the country and postcode in SAP (Administration → Setup → General → Countries), then retry. The address as received is on the order.',
  },
  'totals-differ': {
    severity: 'error',
    fix: 'SAP would total this order differently from the marketplace by more than a rounding: check the VAT mapping of its lines and the shipping setting, then retry.',
  },
  'sap-rejected': {
    severity: 'error',
    fix: 'SAP refused the Sales Order with the message shown. Correct the cause in SAP or in the mappings, then retry; or dismiss and enter the order by hand.',
  },
  'cancelled-after-delivery': {
    severity: 'error',
    fix: 'The order was cancelled on the marketplace after SAP delivered (some of) it: reverse the Delivery Note in SAP (Return) and close the Sales Order, then dismiss with a note.',
  },
  'line-cancelled-after-posting': {
    severity: 'warning',
    fix: 'A line was cancelled on the marketplace after the Sales Order was posted: close that row of the Sales Order in SAP, then dismiss.',
  },
  'vat-unknown': {
    severity: 'error',
    fix: 'The marketplace sent no VAT for a line and the SAP item’s sales VAT group does not fit its price. Check the offer’s tax set-up with John Lewis, or the item’s VAT group in SAP (Item Master Data → Sales Data), then retry. Nothing is posted at 0 % by default.',
  },
  'order-invalid': {
    severity: 'error',
    fix: 'The marketplace sent this order in a shape it cannot be accepted or posted in (see the detail). Raise it with John Lewis Marketplace support quoting the order id; dismiss it here once they have corrected or cancelled it.',
  },
  'order-state-backwards': {
    severity: 'warning',
    fix: 'The marketplace moved this order back to an earlier state (or brought an ended order back). The console keeps the order where it was and sends nothing for the move. Check the order in the John Lewis back office and raise it with John Lewis Marketplace support; dismiss once it is explained.',
  },
  'address-missing': {
    severity: 'warning',
    fix: 'The marketplace sent no delivery address, so the Sales Order has none. Take the address from the order in the John Lewis back office before the goods go, then dismiss.',
  },
  'acceptance-refused': {
    severity: 'error',
    fix: 'The marketplace refused the acceptance with the message shown. If the order was accepted or refused elsewhere it moves on by itself; otherwise decide it in the John Lewis back office before its deadline, then dismiss.',
  },
  'refund-unreadable': {
    severity: 'error',
    fix: 'The marketplace shows a refund on this order that cannot be credited as sent (no id, an amount that cannot be read, or a state the console does not know), so no Credit Memo is made for it. Check the refund in the John Lewis back office; it is credited by itself once the marketplace shows it whole, else book the credit in SAP by hand and dismiss.',
  },
  'order-state-unknown': {
    severity: 'warning',
    fix: 'The marketplace reports a state this console does not know, so the order is neither accepted nor posted. Check the order in the John Lewis back office; it moves on by itself when its state is one the console knows.',
  },
  'listing-unreadable': {
    severity: 'error',
    fix: 'The marketplace’s order list held a record without an order id. Nothing could be done with it; raise it with John Lewis Marketplace support with the detail shown, then dismiss.',
  },
  'value-unfit': {
    severity: 'error',
    fix: 'A value of this order cannot be held by SAP as it is set up (see the detail): correct the SAP set-up (currency, price decimals, field size) or enter the order by hand, then retry or dismiss. Nothing was cut or rounded.',
  },
  'sap-total-differs': {
    severity: 'error',
    fix: 'The Sales Order in SAP totals differently from the marketplace order (both figures shown). Check the Sales Order’s lines, VAT groups and freight in SAP and correct it there; dismiss with a note once it agrees.',
  },
  'duplicate-sales-order': {
    severity: 'critical',
    fix: 'Two Sales Orders exist in SAP for one marketplace order (both named). Close the younger one in SAP if nothing was delivered from it (or turn on “close duplicates” in Orders settings), then dismiss with a note.',
  },
  'create-outcome-unknown': {
    severity: 'warning',
    category: 'technical',
    fix: 'SAP did not answer a Sales Order create in time. Nothing is sent again until a lookup after the settle time shows it did not land; no action is needed unless this stays for hours.',
  },
  'shop-model-unsupported': {
    severity: 'critical',
    fix: 'The marketplace shop is not run as a MARKETPLACE shop (see the detail), so Sales Orders would be posted with the wrong prices and customer. Posting is held: confirm the shop model with John Lewis before going on.',
  },
  'orders-from-missing': {
    severity: 'critical',
    fix: 'Set the go-live cut-off (“orders from”) in Orders → Orders settings: the first read takes orders updated since then, and older finished orders are kept as history instead of being posted.',
  },
  'order-list-pages-counted': {
    severity: 'warning',
    category: 'technical',
    fix: 'Nothing to do: orders are still read, accepted and posted, but a backlog of more than 100 orders takes a minute for each further 100. The console reads follow-on pages at once again 30 days after the marketplace last refused one; ask John Lewis Marketplace support if this should not be so.',
  },
  'posting-lease-held': {
    severity: 'warning',
    category: 'technical',
    fix: 'Another console posts orders for this SAP company. If that console no longer runs, its lease expires by itself; otherwise run orders from one console only.',
  },
} as const satisfies Record<string, { severity: Severity; category?: ExceptionCategory; fix: string }>;

/** Business unless the catalogue says technical. */
export const categoryOf = (type: OrderExceptionType): ExceptionCategory => {
  const spec = ORDER_EXCEPTIONS[type];
  return 'category' in spec ? spec.category : 'business';
};
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
