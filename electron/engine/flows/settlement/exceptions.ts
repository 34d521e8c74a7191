import type { Severity } from '../../../../shared/domain/exceptions';

/** Every problem the settlement flow raises, with its severity and what finance can do. */
export const SETTLEMENT_EXCEPTIONS = {
  'payout-does-not-tie': {
    severity: 'warning',
    fix: 'The lines of this billing cycle do not add up to the money the marketplace says it transferred (difference shown). Compare the payout with the bank and the cycle in the marketplace back office; ask John Lewis about the difference, then Reconcile the cycle again or dismiss with a note.',
  },
  'transactions-refused': {
    severity: 'error',
    fix: 'The marketplace refused to list this billing cycle’s transaction lines (its words shown). Check that the API key’s user has the accountancy role, then Reconcile the cycle again; the read starts from its first page.',
  },
  'accounting-documents-refused': {
    severity: 'warning',
    fix: 'The marketplace refused to list this billing cycle’s accounting documents (its words shown); the reconciliation goes on without the marketplace’s invoice number. Check the API key’s role, then Reconcile the cycle again.',
  },
  'sap-lookup-failed': {
    severity: 'warning',
    fix: 'SAP refused or failed the lookup of this order’s invoices and credit memos (its words shown): its payout lines stay unchecked. Correct what SAP names, or wait for the next run, which asks again.',
  },
  'period-documents-failed': {
    severity: 'warning',
    fix: 'SAP refused or failed the list of the marketplace customer’s invoices and credit memos for this billing cycle’s period (its words shown), so documents it does not pay cannot be listed. Correct what SAP names, then Reconcile the cycle again.',
  },
} as const satisfies Record<string, { severity: Severity; fix: string }>;
export type SettlementExceptionType = keyof typeof SETTLEMENT_EXCEPTIONS;
