import type { ExceptionTypeOf } from '../../../../shared/domain/exception-catalogue';

/** The problems the despatch flow raises: its part of the exception catalogue, which holds their severity and fix. */
export type DespatchExceptionType = ExceptionTypeOf<'despatch'>;

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
