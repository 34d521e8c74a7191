import type { FlowName } from './flows';
import type { ExceptionCategory, Severity } from './exceptions';

/** One type of exception as the catalogue states it; its flow, type, id and handbook place are added below. */
interface ExceptionTypeSpec {
  severity: Severity;
  /** Business: waits for a person's correction. Technical: the engine could not finish and says so. */
  category: ExceptionCategory;
  /** What it means, in one line for the warehouse office or finance. */
  meaning: string;
  /** What to do: the suggested action every exception of this type carries. */
  action: string;
}

/**
 * Every type of exception the engine raises, by the flow that raises it. A flow raises only the types of its own part
 * (FlowContext.raise takes them, and the engine refuses any other); `any` holds the job queue's own, which the records
 * of every flow can end in. Each type has a section of its own in the handbook (docs/operations/exceptions.md), which
 * a test holds to this list.
 */
const CATALOGUE = {
  any: {
    'gave-up': {
      severity: 'error',
      category: 'technical',
      meaning: 'The engine tried one record’s work 8 times, waiting longer each time, failed each time for a technical reason, and stopped.',
      action: 'Fix the cause the error names (often in SAP or on the marketplace), then Retry: the record is tried again at the next run with fresh attempts.',
    },
  },
  health: {
    'system-unreachable': {
      severity: 'critical',
      category: 'technical',
      meaning: 'SAP Business One or the marketplace does not answer: nothing syncs with it until it does.',
      action:
        'Check that the system named is up and that this PC reaches it (network, VPN, the address on the Connections screen). The console checks again every minute and everything catches up by itself once it answers.',
    },
    'ledger-backup-failed': {
      severity: 'error',
      category: 'technical',
      meaning: 'The daily copy of the ledger could not be made: the newest good backup is getting older.',
      action:
        'Check that the backup folder exists, that this console may write to it and that its disk has room (settings.backup.folder): each copy is the size of the ledger, so keep fewer days (settings.backup.keepDays) or choose a folder on a bigger disk. The engine tries again every hour; this closes by itself once a backup succeeds.',
    },
  },
  orders: {
    'acceptance-needed': {
      severity: 'warning',
      category: 'business',
      meaning: 'An order cannot be accepted automatically (no SAP item, an item not sellable, not enough stock) and waits for a person’s decision.',
      action:
        'Decide in Orders: accept the order, or refuse it (lines without stock or without a sellable SAP item). The marketplace refuses it by itself at the deadline.',
    },
    'acceptance-deadline-near': {
      severity: 'critical',
      category: 'business',
      meaning: 'Less than 2 hours before the marketplace refuses a held order by itself.',
      action: 'Less than 2 hours before the marketplace refuses this order by itself: accept or refuse it now in Orders.',
    },
    'sku-unknown': {
      severity: 'error',
      category: 'business',
      meaning: 'A line’s SKU has no item in SAP, so the Sales Order cannot be posted.',
      action: 'Map the SKU to the SAP item it is sold as (Orders → Mappings → SKU), then retry. Or create the item in SAP with the SKU as its ItemCode.',
    },
    'vat-mapping-missing': {
      severity: 'error',
      category: 'business',
      meaning: 'No SAP output VAT group is mapped for the marketplace’s tax on a line, or SAP refused the VAT group.',
      action: 'Map the marketplace tax code/rate to an SAP output VAT group (Orders → Mappings → VAT), then retry.',
    },
    'business-partner-missing': {
      severity: 'critical',
      category: 'business',
      meaning: 'The marketplace customer (business partner) the Sales Orders go to is missing or inactive in SAP: no order is posted.',
      action: 'Create the marketplace customer in SAP (Business Partner Master Data) or correct its CardCode in Orders → Orders settings, then retry.',
    },
    'udf-missing': {
      severity: 'critical',
      category: 'business',
      meaning: 'SAP lacks the user-defined fields the marketplace ids go in: no order is posted.',
      action:
        'Use Orders → Orders settings → Check SAP company and let it create the user-defined fields (or create them in SAP: Tools → Customization Tools → User-Defined Fields), then retry.',
    },
    'item-frozen': {
      severity: 'error',
      category: 'business',
      meaning: 'The SAP item a SKU maps to is inactive, frozen or not a sales item.',
      action: 'Make the item active in SAP (Item Master Data: Active, not Inactive/Frozen) or map the SKU to another item, then retry.',
    },
    'item-tracking-mismatch': {
      severity: 'error',
      category: 'business',
      meaning: 'The SKU is listed as batch- or serial-tracked, but SAP does not manage its item by batch or serial number.',
      action:
        'The item is batch/serial-tracked in this business but SAP does not manage it that way: set Manage Batch/Serial Numbers on the SAP Item Master (or remove the SKU from the tracked SKUs in Orders → Orders settings), then retry.',
    },
    'address-rejected': {
      severity: 'error',
      category: 'business',
      meaning: 'SAP refused the order’s delivery address.',
      action:
        'SAP refused the delivery address: check the country and postcode in SAP (Administration → Setup → General → Countries), then retry. The address as received is on the order.',
    },
    'totals-differ': {
      severity: 'error',
      category: 'business',
      meaning: 'SAP would total the Sales Order differently from the marketplace by more than the rounding allowed; nothing was posted.',
      action:
        'SAP would total this order differently from the marketplace by more than a rounding: check the VAT mapping of its lines and the shipping setting, then retry.',
    },
    'sap-rejected': {
      severity: 'error',
      category: 'business',
      meaning: 'SAP refused the Sales Order for a reason of its own, quoted word for word.',
      action:
        'SAP refused the Sales Order with the message shown. Correct the cause in SAP or in the mappings, then retry; or dismiss and enter the order by hand.',
    },
    'cancelled-after-delivery': {
      severity: 'error',
      category: 'business',
      meaning: 'The order was cancelled on the marketplace after SAP had delivered some or all of it.',
      action:
        'The order was cancelled on the marketplace after SAP delivered (some of) it: reverse the Delivery Note in SAP (Return) and close the Sales Order, then dismiss with a note.',
    },
    'line-cancelled-after-posting': {
      severity: 'warning',
      category: 'business',
      meaning: 'A line was cancelled on the marketplace after its Sales Order was posted; its row is still open in SAP.',
      action: 'A line was cancelled on the marketplace after the Sales Order was posted: close that row of the Sales Order in SAP, then dismiss.',
    },
    'vat-unknown': {
      severity: 'error',
      category: 'business',
      meaning: 'A line (or the shipping) came without VAT and the SAP item’s own VAT group does not fit its price.',
      action:
        'The marketplace sent no VAT for a line and the SAP item’s sales VAT group does not fit its price. Check the offer’s tax set-up with John Lewis, or the item’s VAT group in SAP (Item Master Data → Sales Data), then retry. Nothing is posted at 0 % by default.',
    },
    'order-invalid': {
      severity: 'error',
      category: 'business',
      meaning: 'The marketplace sent the order in a shape that cannot be accepted or posted (no lines, a line twice, a line without a quantity).',
      action:
        'The marketplace sent this order in a shape it cannot be accepted or posted in (see the detail). Raise it with John Lewis Marketplace support quoting the order id; dismiss it here once they have corrected or cancelled it.',
    },
    'order-state-backwards': {
      severity: 'warning',
      category: 'business',
      meaning: 'The marketplace moved the order back to an earlier state (or brought an ended order back); the console keeps it where it was.',
      action:
        'The marketplace moved this order back to an earlier state (or brought an ended order back). The console keeps the order where it was and sends nothing for the move. Check the order in the John Lewis back office and raise it with John Lewis Marketplace support; dismiss once it is explained.',
    },
    'address-missing': {
      severity: 'warning',
      category: 'business',
      meaning: 'The marketplace sent the order with no delivery address, so its Sales Order has none.',
      action:
        'The marketplace sent no delivery address, so the Sales Order has none. Take the address from the order in the John Lewis back office before the goods go, then dismiss.',
    },
    'acceptance-refused': {
      severity: 'error',
      category: 'business',
      meaning: 'The marketplace refused the console’s acceptance (or refusal) of the order, in its own words.',
      action:
        'The marketplace refused the acceptance with the message shown. If the order was accepted or refused elsewhere it moves on by itself; otherwise decide it in the John Lewis back office before its deadline, then dismiss.',
    },
    'refund-unreadable': {
      severity: 'error',
      category: 'business',
      meaning: 'The marketplace shows a refund on the order that cannot be credited as sent (no id, an unreadable amount, an unknown state).',
      action:
        'The marketplace shows a refund on this order that cannot be credited as sent (no id, an amount that cannot be read, or a state the console does not know), so no Credit Memo is made for it. Check the refund in the John Lewis back office; it is credited by itself once the marketplace shows it whole, else book the credit in SAP by hand and dismiss.',
    },
    'order-state-unknown': {
      severity: 'warning',
      category: 'business',
      meaning: 'The marketplace reports a state for the order that this console does not know, so it is neither accepted nor posted.',
      action:
        'The marketplace reports a state this console does not know, so the order is neither accepted nor posted. Check the order in the John Lewis back office; it moves on by itself when its state is one the console knows.',
    },
    'listing-unreadable': {
      severity: 'error',
      category: 'business',
      meaning: 'The marketplace’s order list held a record without an order id; nothing could be done with it.',
      action:
        'The marketplace’s order list held a record without an order id. Nothing could be done with it; raise it with John Lewis Marketplace support with the detail shown, then dismiss.',
    },
    'value-unfit': {
      severity: 'error',
      category: 'business',
      meaning: 'A value of the order (an id, a currency, a price’s decimals) cannot be held by SAP as it is set up; nothing was sent.',
      action:
        'A value of this order cannot be held by SAP as it is set up (see the detail): correct the SAP set-up (currency, price decimals, field size) or enter the order by hand, then retry or dismiss. Nothing was cut or rounded.',
    },
    'sap-total-differs': {
      severity: 'error',
      category: 'business',
      meaning: 'The Sales Order SAP made totals differently from the marketplace order (both figures shown).',
      action:
        'The Sales Order in SAP totals differently from the marketplace order (both figures shown). Check the Sales Order’s lines, VAT groups and freight in SAP and correct it there; dismiss with a note once it agrees.',
    },
    'duplicate-sales-order': {
      severity: 'critical',
      category: 'business',
      meaning: 'Two live Sales Orders exist in SAP for one marketplace order (both named).',
      action:
        'Two Sales Orders exist in SAP for one marketplace order (both named). Close the younger one in SAP if nothing was delivered from it (or turn on “close duplicates” in Orders settings), then dismiss with a note.',
    },
    'create-outcome-unknown': {
      severity: 'warning',
      category: 'technical',
      meaning: 'SAP did not answer a Sales Order create in time; nothing is sent again until a later lookup shows it did not land.',
      action:
        'SAP did not answer a Sales Order create in time. Nothing is sent again until a lookup after the settle time shows it did not land; no action is needed unless this stays for hours.',
    },
    'shop-model-unsupported': {
      severity: 'critical',
      category: 'business',
      meaning: 'The marketplace shop is not run as a MARKETPLACE shop, so posting Sales Orders is held.',
      action:
        'The marketplace shop is not run as a MARKETPLACE shop (see the detail), so Sales Orders would be posted with the wrong prices and customer. Posting is held: confirm the shop model with John Lewis before going on.',
    },
    'orders-from-missing': {
      severity: 'critical',
      category: 'business',
      meaning: 'The go-live cut-off (“orders from”) is not set, so the orders flow does not run live.',
      action:
        'Set the go-live cut-off (“orders from”) in Orders → Orders settings: the first read takes orders updated since then, and older finished orders are kept as history instead of being posted.',
    },
    'order-list-pages-counted': {
      severity: 'warning',
      category: 'technical',
      meaning: 'The marketplace counts every page of its order list against its once-a-minute limit, so a backlog is read one page of 100 orders a minute.',
      action:
        'Nothing to do: orders are still read, accepted and posted, but a backlog of more than 100 orders takes a minute for each further 100. The console reads follow-on pages at once again 30 days after the marketplace last refused one; ask John Lewis Marketplace support if this should not be so.',
    },
    'posting-lease-held': {
      severity: 'warning',
      category: 'technical',
      meaning: 'Another console posts orders for this SAP company; this one only reads.',
      action:
        'Another console posts orders for this SAP company. If that console no longer runs, its lease expires by itself; otherwise run orders from one console only.',
    },
  },
  stock: {
    'warehouse-unanswered': {
      severity: 'error',
      category: 'business',
      meaning: 'An included SAP warehouse had no stock lines in this cycle’s read, so the stock of the SKUs it holds is not sent.',
      action:
        'Check the warehouse in SAP (does it exist, is it active, is its code right in Stock settings?). If it should no longer count, exclude it in Stock settings. Stock for the other SKUs keeps flowing.',
    },
    'sku-unknown': {
      severity: 'error',
      category: 'business',
      meaning: 'The marketplace has no offer with this SKU, so it refused the SKU’s stock figure.',
      action:
        'Create the offer on John Lewis, or map the SKU to the right SAP item in the console. The figure is sent again when it changes or when you retry.',
    },
    'bad-quantity': {
      severity: 'error',
      category: 'business',
      meaning: 'The marketplace refused the stock quantity sent for this SKU.',
      action: 'Check the item’s stock and units of measure in SAP and the SKU’s buffer and cap, then retry.',
    },
    'stock-line-rejected': {
      severity: 'error',
      category: 'business',
      meaning: 'The marketplace refused this SKU’s stock figure for another reason, quoted word for word.',
      action: 'Read the marketplace’s reason below, correct the offer or the SKU mapping, then retry.',
    },
    'stock-import-failed': {
      severity: 'error',
      category: 'technical',
      meaning: 'The marketplace failed a whole stock import; its SKUs keep their old figure until it is sent again.',
      action:
        'Nothing to do if the next cycle’s import completes (it sends these SKUs again). If imports keep failing, contact John Lewis seller support with the import id.',
    },
    'reconciliation-failed': {
      severity: 'warning',
      category: 'technical',
      meaning: 'The nightly stock reconciliation could not read the marketplace’s offers; changes still go out, but drift is not corrected.',
      action: 'Nothing if the next cycle reconciles. If it keeps failing, check the marketplace connection on the Overview screen.',
    },
  },
  despatch: {
    'carrier-unmapped': {
      severity: 'error',
      category: 'business',
      meaning: 'The Delivery Note’s SAP carrier has no marketplace carrier the marketplace accepts, so the despatch cannot be confirmed.',
      action:
        'Map the SAP carrier to a marketplace carrier in Despatch → Carrier mapping (the order is retried), or correct this one despatch with the correction form.',
    },
    'tracking-missing': {
      severity: 'error',
      category: 'business',
      meaning: 'The Delivery Note has no tracking number, so the despatch cannot be confirmed.',
      action:
        'Enter the tracking number on the Delivery Note in SAP (the next read picks it up), or type it in the despatch correction form, which can also write it back to SAP.',
    },
    'marketplace-rejected': {
      severity: 'error',
      category: 'business',
      meaning: 'The marketplace refused the tracking or the shipment; its message is shown word for word.',
      action:
        'The marketplace refused the despatch with the message shown: correct the carrier or tracking number in the despatch correction form, which sends it again at once.',
    },
    'order-not-shipping': {
      severity: 'error',
      category: 'business',
      meaning: 'SAP delivered the order, but on the marketplace it is not waiting for despatch (cancelled, not yet debited, or closed); nothing was sent.',
      action:
        'The marketplace order is not waiting for despatch (cancelled, not yet debited, or already closed): check it in the marketplace back office. If the goods went out after a cancellation, recall them and book a return in SAP; then dismiss with a note.',
    },
    'shipment-unmatched': {
      severity: 'error',
      category: 'business',
      meaning: 'A Delivery Note line cannot be matched to a marketplace order line, so its shipment was not sent.',
      action:
        'A Delivery Note line could not be matched to a marketplace order line (its Sales Order line has no marketplace line id, or the quantity is not whole): correct the Delivery Note in SAP, or send the shipment in the marketplace back office and dismiss.',
    },
    'multi-shipment-unsupported': {
      severity: 'error',
      category: 'business',
      meaning: 'Raised by earlier versions, which could not send a partly delivered order as several shipments.',
      action: 'Retry: the console now sends each Delivery Note of a partly delivered order as its own shipment.',
    },
    'write-back-failed': {
      severity: 'warning',
      category: 'business',
      meaning: 'SAP refused the corrected tracking number on the Delivery Note; the marketplace confirmation is not affected.',
      action:
        'SAP refused the corrected tracking number on the Delivery Note (message shown): enter it in SAP by hand. The marketplace confirmation is not affected.',
    },
    'despatch-overdue': {
      severity: 'critical',
      category: 'business',
      meaning: 'SAP delivered the order some hours ago and the marketplace still does not show it shipped.',
      action:
        'SAP delivered this order but the marketplace still does not show it shipped: open it in Despatch and resolve what holds it up, or it counts against the shop’s late-shipment rate.',
    },
    'deadline-near': {
      severity: 'critical',
      category: 'business',
      meaning: 'The shipping deadline is close and SAP has no Delivery Note for the order.',
      action:
        'The shipping deadline is close and SAP has no Delivery Note for this order: pick, pack and post the Delivery Note now, or agree a new date with the customer.',
    },
  },
  invoicing: {
    'invoice-total-differs': {
      severity: 'error',
      category: 'business',
      meaning: 'The A/R Invoice SAP made totals differently from what the marketplace pays for the same lines and shipping.',
      action:
        'The A/R Invoice in SAP totals differently from what the marketplace pays for the same lines and shipping (both figures shown). Check the invoice’s lines, VAT groups and freight in SAP and correct it there (a credit memo and a new invoice); dismiss with a note once it agrees.',
    },
    'totals-differ': {
      severity: 'error',
      category: 'business',
      meaning: 'SAP would total the invoice differently from the marketplace by more than the rounding allowed; nothing was posted.',
      action:
        'SAP would total this invoice differently from the marketplace by more than the allowed rounding (both figures shown): check the Delivery Note’s lines and VAT groups against the marketplace order, and the shipping setting, then retry.',
    },
    'sap-rejected': {
      severity: 'error',
      category: 'business',
      meaning: 'SAP refused the A/R Invoice for a reason of its own, quoted word for word.',
      action:
        'SAP refused the A/R Invoice with the message shown. Correct the cause in SAP (the Delivery Note, the customer, the period), then retry; or invoice the Delivery Note in SAP by hand: the next batch finds that invoice and binds it.',
    },
    'delivery-line-unknown': {
      severity: 'error',
      category: 'business',
      meaning: 'A Delivery Note line of the order is not on the marketplace order, so what the marketplace pays for it is unknown.',
      action:
        'A Delivery Note line of this order is not on the marketplace order, so what the marketplace pays for it is unknown. Check the Delivery Note in SAP; invoice it by hand (the next batch finds and binds that invoice) or dismiss with a note.',
    },
    'marketplace-order-unknown': {
      severity: 'error',
      category: 'business',
      meaning: 'The marketplace order behind a Delivery Note is not in the console’s ledger, so what the marketplace pays is unknown.',
      action:
        'The marketplace order behind this Delivery Note is not in the ledger, so what the marketplace pays is unknown. Check that the orders flow reads the order, then retry.',
    },
    'vat-unknown': {
      severity: 'error',
      category: 'business',
      meaning: 'No SAP output VAT group fits the shipping charged on the invoiced lines.',
      action:
        'No SAP output VAT group fits the shipping charged on these lines (see the detail). Check the VAT mapping of the shipping tax in Orders → Mappings → VAT, then retry.',
    },
    'create-outcome-unknown': {
      severity: 'warning',
      category: 'technical',
      meaning: 'SAP did not answer an A/R Invoice create in time; nothing is sent again until a later lookup shows it did not land.',
      action:
        'SAP did not answer an A/R Invoice create in time. Nothing is sent again until a lookup after the settle time shows it did not land; no action is needed unless this stays for hours.',
    },
  },
  returns: {
    'order-not-posted': {
      severity: 'error',
      category: 'business',
      meaning: 'The order of a return or refund never became a Sales Order in SAP, so it cannot be credited.',
      action:
        'The marketplace order of this return or refund never became a Sales Order in SAP (it is not in Orders, or it is blocked there): post the order first (Orders), then retry; or book the credit in SAP by hand and dismiss with its number.',
    },
    'line-not-delivered': {
      severity: 'error',
      category: 'business',
      meaning: 'The returned or refunded line is on no Delivery Note of the order in SAP.',
      action:
        'The returned or refunded line is not on any Delivery Note of the order in SAP (never delivered, or delivered under another order): check the delivery in SAP and retry, or book the credit by hand and dismiss.',
    },
    'batch-serial-not-on-delivery': {
      severity: 'error',
      category: 'business',
      meaning: 'The item is managed by batch or serial number but the Delivery Note does not say which went out, so SAP cannot take them back.',
      action:
        'The item is managed by batch or serial number but the Delivery Note does not say which went out, so SAP cannot take them back: correct the delivery in SAP, or book the Credit Memo by hand with the right numbers and dismiss.',
    },
    'returns-warehouse-missing': {
      severity: 'error',
      category: 'business',
      meaning: 'Returned goods came back and no returns warehouse is set to take them into.',
      action: 'Returned goods need a returns warehouse: set one in Returns → settings (a warehouse SAP does not count as available), then retry.',
    },
    'credit-memo-refused': {
      severity: 'error',
      category: 'business',
      meaning: 'SAP refused the Credit Memo for a refund; its message is shown word for word.',
      action:
        'SAP refused the Credit Memo with the message shown: correct what it names in SAP (item, warehouse, posting period, batch or serial), then retry.',
    },
    'refund-exceeds-invoice': {
      severity: 'error',
      category: 'business',
      meaning: 'The marketplace refunded more on a line than SAP invoiced for it.',
      action:
        'The marketplace refunded more on this line than SAP invoiced for it: check the invoice and the refunds in the marketplace back office; correct the invoice in SAP or book the difference by hand, then dismiss with a note.',
    },
    'credit-total-differs': {
      severity: 'warning',
      category: 'business',
      meaning: 'The Credit Memo is in SAP but its total is not the refund the marketplace made.',
      action:
        'The Credit Memo is in SAP but its total is not the refund the marketplace made: correct the Credit Memo in SAP (or book the difference) so the payout reconciles, then dismiss with a note.',
    },
    'return-refused-by-marketplace': {
      severity: 'error',
      category: 'business',
      meaning: 'The marketplace did not take the console’s acceptance, refusal or receipt of a return; its words are shown.',
      action:
        'The marketplace refused to accept, refuse or mark received this return (its words shown): check the return in the marketplace back office, then retry or dismiss.',
    },
    'return-unreadable': {
      severity: 'error',
      category: 'business',
      meaning: 'The marketplace’s list of returns held a record without a return id: nothing could be done with it.',
      action:
        'The marketplace’s returns list held a record without a return id: nothing could be done with it. Raise it with John Lewis Marketplace support with the detail shown, then dismiss.',
    },
    'return-state-unknown': {
      severity: 'warning',
      category: 'business',
      meaning: 'The marketplace reports a return state this console does not know, so nothing is sent for the return.',
      action:
        'The marketplace reports a return state this console does not know, so nothing is sent for the return (no acceptance, no receipt). Check the return in the John Lewis back office; it moves on by itself once its state is one the console knows.',
    },
    'return-invalid': {
      severity: 'error',
      category: 'business',
      meaning: 'A line of the return cannot be read (no order line id, or a quantity that is not a whole number above 0).',
      action:
        'The marketplace sent a return line the console cannot read (no order line id, or a quantity that is not a whole number above 0): goods on it are not booked back. Check the return in the John Lewis back office and raise it with John Lewis Marketplace support; dismiss once it is corrected.',
    },
    'refund-outcome-unknown': {
      severity: 'warning',
      category: 'business',
      meaning: 'A refund sent from the console got no answer from the marketplace; the order is read before anything is sent again.',
      action:
        'A refund sent from this console got no answer. The console reads the order before anything is sent again; if the refund is not there, send it again from the refund form.',
    },
  },
  settlement: {
    'payout-does-not-tie': {
      severity: 'warning',
      category: 'business',
      meaning: 'A billing cycle’s lines do not add up to the money the marketplace says it transferred.',
      action:
        'The lines of this billing cycle do not add up to the money the marketplace says it transferred (difference shown). Compare the payout with the bank and the cycle in the marketplace back office; ask John Lewis about the difference, then Reconcile the cycle again or dismiss with a note.',
    },
    'transactions-refused': {
      severity: 'error',
      category: 'business',
      meaning: 'The marketplace refused to list a billing cycle’s transaction lines, so the cycle cannot be reconciled.',
      action:
        'The marketplace refused to list this billing cycle’s transaction lines (its words shown). Check that the API key’s user has the accountancy role, then Reconcile the cycle again; the read starts from its first page.',
    },
    'accounting-documents-refused': {
      severity: 'warning',
      category: 'business',
      meaning: 'The marketplace refused to list a billing cycle’s accounting documents; the reconciliation goes on without its invoice number.',
      action:
        'The marketplace refused to list this billing cycle’s accounting documents (its words shown); the reconciliation goes on without the marketplace’s invoice number. Check the API key’s role, then Reconcile the cycle again.',
    },
    'sap-lookup-failed': {
      severity: 'warning',
      category: 'business',
      meaning: 'SAP refused or failed the lookup of an order’s invoices and credit memos; that order’s payout lines stay unchecked.',
      action:
        'SAP refused or failed the lookup of this order’s invoices and credit memos (its words shown): its payout lines stay unchecked. Correct what SAP names, or wait for the next run, which asks again.',
    },
    'period-documents-failed': {
      severity: 'warning',
      category: 'business',
      meaning: 'SAP did not list the marketplace customer’s documents for a cycle’s period, so “unpaid in SAP” is not known for it.',
      action:
        'SAP refused or failed the list of the marketplace customer’s invoices and credit memos for this billing cycle’s period (its words shown), so documents it does not pay cannot be listed. Correct what SAP names, then Reconcile the cycle again.',
    },
  },
} as const satisfies { [F in FlowName | 'any']: Record<string, ExceptionTypeSpec> };

type Catalogue = typeof CATALOGUE;

/** The types a flow may raise: its own part of the catalogue. */
export type ExceptionTypeOf<F extends FlowName> = F extends FlowName ? keyof Catalogue[F] & string : never;
/** The job queue's own types, raised by the engine for a record of any flow (never by a flow itself). */
export type JobQueueExceptionType = keyof Catalogue['any'] & string;

/** The handbook page with a section for every catalogued type, relative to docs/. */
export const EXCEPTIONS_HANDBOOK_PAGE = 'operations/exceptions.md';

/** One catalogued type of exception. */
export interface ExceptionTypeEntry extends ExceptionTypeSpec {
  /** `flow/type`, e.g. 'orders/sku-unknown': unique across the catalogue (two flows may share a type's name). */
  id: string;
  /** The flow that raises it; 'any' for the job queue's own. */
  flow: FlowName | 'any';
  /** The name the ledger keeps and the console shows, e.g. 'sku-unknown'. */
  type: string;
  /** Its section in the handbook: a page relative to docs/ and an anchor, e.g. 'operations/exceptions.md#orders-sku-unknown'. */
  handbook: string;
}

/** The anchor of a type's section: `flow-type`, or the type alone for the job queue's. */
export const exceptionAnchor = (flow: FlowName | 'any', type: string): string => (flow === 'any' ? type : `${flow}-${type}`);

/** Every catalogued type, flow by flow. */
export const EXCEPTION_CATALOGUE: readonly ExceptionTypeEntry[] = (Object.keys(CATALOGUE) as (keyof Catalogue)[]).flatMap((flow) =>
  Object.entries(CATALOGUE[flow] as Record<string, ExceptionTypeSpec>).map(([type, spec]) => ({
    ...spec,
    id: `${flow}/${type}`,
    flow,
    type,
    handbook: `${EXCEPTIONS_HANDBOOK_PAGE}#${exceptionAnchor(flow, type)}`,
  })),
);

const BY_FLOW_AND_TYPE = new Map(EXCEPTION_CATALOGUE.map((e) => [`${e.flow}/${e.type}`, e]));

/** The catalogue's entry for an exception of this flow: the flow's own type, else the job queue's; null when not catalogued. */
export function catalogueEntry(flow: FlowName, type: string): ExceptionTypeEntry | null {
  return BY_FLOW_AND_TYPE.get(`${flow}/${type}`) ?? BY_FLOW_AND_TYPE.get(`any/${type}`) ?? null;
}

/** Whether a flow may raise this type itself (its own part of the catalogue; the job queue's are the engine's). */
export function isFlowExceptionType<F extends FlowName>(flow: F, type: string): type is ExceptionTypeOf<F> {
  return BY_FLOW_AND_TYPE.has(`${flow}/${type}`);
}
