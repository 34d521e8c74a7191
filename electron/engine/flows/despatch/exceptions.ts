import type { Severity } from '../../../../shared/domain/exceptions';

/** Every problem the despatch flow raises, with its severity and what the warehouse office can do. */
export const DESPATCH_EXCEPTIONS = {
  'carrier-unmapped': {
    severity: 'error',
    fix: 'Map the SAP carrier to a marketplace carrier in Despatch → Carrier mapping (the order is retried), or correct this one despatch with the correction form.',
  },
  'tracking-missing': {
    severity: 'error',
    fix: 'Enter the tracking number on the Delivery Note in SAP (the next read picks it up), or type it in the despatch correction form, which can also write it back to SAP.',
  },
  'marketplace-rejected': {
    severity: 'error',
    fix: 'The marketplace refused the despatch with the message shown: correct the carrier or tracking number in the despatch correction form, which sends it again at once.',
  },
  'order-not-shipping': {
    severity: 'error',
    fix: 'The marketplace order is not waiting for despatch (cancelled, not yet debited, or already closed): check it in the marketplace back office. If the goods went out after a cancellation, recall them and book a return in SAP; then dismiss with a note.',
  },
  'shipment-unmatched': {
    severity: 'error',
    fix: 'A Delivery Note line could not be matched to a marketplace order line (its Sales Order line has no marketplace line id, or the quantity is not whole): correct the Delivery Note in SAP, or send the shipment in the marketplace back office and dismiss.',
  },
  // Raised by earlier versions, which could not send shipments; a retry now sends them.
  'multi-shipment-unsupported': {
    severity: 'error',
    fix: 'Retry: the console now sends each Delivery Note of a partly delivered order as its own shipment.',
  },
  'write-back-failed': {
    severity: 'warning',
    fix: 'SAP refused the corrected tracking number on the Delivery Note (message shown): enter it in SAP by hand. The marketplace confirmation is not affected.',
  },
  'despatch-overdue': {
    severity: 'critical',
    fix: 'SAP delivered this order but the marketplace still does not show it shipped: open it in Despatch and resolve what holds it up, or it counts against the shop’s late-shipment rate.',
  },
  'deadline-near': {
    severity: 'critical',
    fix: 'The shipping deadline is close and SAP has no Delivery Note for this order: pick, pack and post the Delivery Note now, or agree a new date with the customer.',
  },
} as const satisfies Record<string, { severity: Severity; fix: string }>;
export type DespatchExceptionType = keyof typeof DESPATCH_EXCEPTIONS;

/** Problems of one despatch attempt (the watchdogs' own come and go by themselves). */
export const ATTEMPT_EXCEPTIONS: readonly DespatchExceptionType[] = [
  'carrier-unmapped',
  'tracking-missing',
  'marketplace-rejected',
  'order-not-shipping',
  'shipment-unmatched',
  'multi-shipment-unsupported',
];

/** A business failure of one despatch: waits for a person. */
export class DespatchProblem extends Error {
  constructor(
    readonly type: DespatchExceptionType,
    readonly summary: string,
    readonly rawError: string | null = null,
  ) {
    super(summary);
    this.name = 'DespatchProblem';
  }
}
