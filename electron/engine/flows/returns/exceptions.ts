import type { Severity } from '../../../../shared/domain/exceptions';

/** Every problem the returns flow raises, with its severity and what finance or the warehouse office can do. */
export const RETURNS_EXCEPTIONS = {
  'order-not-posted': {
    severity: 'error',
    fix: 'The marketplace order of this return or refund never became a Sales Order in SAP (it is not in Orders, or it is blocked there): post the order first (Orders), then retry; or book the credit in SAP by hand and dismiss with its number.',
  },
  'line-not-delivered': {
    severity: 'error',
    fix: 'The returned or refunded line is not on any Delivery Note of the order in SAP (never delivered, or delivered under another order): check the delivery in SAP and retry, or book the credit by hand and dismiss.',
  },
  'batch-serial-not-on-delivery': {
    severity: 'error',
    fix: 'The item is managed by batch or serial number but the Delivery Note does not say which went out, so SAP cannot take them back: correct the delivery in SAP, or book the Credit Memo by hand with the right numbers and dismiss.',
  },
  'returns-warehouse-missing': {
    severity: 'error',
    fix: 'Returned goods need a returns warehouse: set one in Returns → settings (a warehouse SAP does not count as available), then retry.',
  },
  'credit-memo-refused': {
    severity: 'error',
    fix: 'SAP refused the Credit Memo with the message shown: correct what it names in SAP (item, warehouse, posting period, batch or serial), then retry.',
  },
  'refund-exceeds-invoice': {
    severity: 'error',
    fix: 'The marketplace refunded more on this line than SAP invoiced for it: check the invoice and the refunds in the marketplace back office; correct the invoice in SAP or book the difference by hand, then dismiss with a note.',
  },
  'credit-total-differs': {
    severity: 'warning',
    fix: 'The Credit Memo is in SAP but its total is not the refund the marketplace made: correct the Credit Memo in SAP (or book the difference) so the payout reconciles, then dismiss with a note.',
  },
  'return-refused-by-marketplace': {
    severity: 'error',
    fix: 'The marketplace refused to accept, refuse or mark received this return (its words shown): check the return in the marketplace back office, then retry or dismiss.',
  },
  'return-unreadable': {
    severity: 'error',
    fix: 'The marketplace’s returns list held a record without a return id: nothing could be done with it. Raise it with John Lewis Marketplace support with the detail shown, then dismiss.',
  },
  'return-state-unknown': {
    severity: 'warning',
    fix: 'The marketplace reports a return state this console does not know, so nothing is sent for the return (no acceptance, no receipt). Check the return in the John Lewis back office; it moves on by itself once its state is one the console knows.',
  },
  'return-invalid': {
    severity: 'error',
    fix: 'The marketplace sent a return line the console cannot read (no order line id, or a quantity that is not a whole number above 0): goods on it are not booked back. Check the return in the John Lewis back office and raise it with John Lewis Marketplace support; dismiss once it is corrected.',
  },
  'refund-outcome-unknown': {
    severity: 'warning',
    fix: 'A refund sent from this console got no answer. The console reads the order before anything is sent again; if the refund is not there, send it again from the refund form.',
  },
} as const satisfies Record<string, { severity: Severity; fix: string }>;
export type ReturnsExceptionType = keyof typeof RETURNS_EXCEPTIONS;

/** A business failure of one return or refund: it waits for a person. */
export class ReturnsProblem extends Error {
  constructor(
    readonly type: ReturnsExceptionType,
    readonly summary: string,
    readonly rawError: string | null = null,
  ) {
    super(summary);
    this.name = 'ReturnsProblem';
  }
}
