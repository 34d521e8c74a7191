import type { StockLine } from '../../../../shared/domain/stock';

/** Lines in a stable order, so the same figure always compares (and is stored) the same way. */
export function normaliseLines(lines: readonly StockLine[]): StockLine[] {
  return [...lines].sort((a, b) => (a.warehouseCode ?? '').localeCompare(b.warehouseCode ?? ''));
}

export function sameLines(a: readonly StockLine[] | null, b: readonly StockLine[] | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  const x = normaliseLines(a);
  const y = normaliseLines(b);
  return x.every((l, i) => l.warehouseCode === y[i]!.warehouseCode && l.quantity === y[i]!.quantity);
}

export interface DeltaInput {
  computed: readonly StockLine[];
  /** The figure the marketplace confirmed last (null: never confirmed). */
  confirmed: readonly StockLine[] | null;
  /** A figure sent in an import that has not finished yet. */
  inFlight: readonly StockLine[] | null;
  /** The figure the marketplace rejected last. */
  rejected: readonly StockLine[] | null;
  /** An operator asked to retry this SKU's rejection. */
  retryRequested: boolean;
}

/**
 * Whether a SKU's figure must be sent: it differs from what the marketplace confirmed (or from what is
 * already on its way), unless it is exactly the figure the marketplace just rejected and nobody asked to retry.
 */
export function needsSending(input: DeltaInput): boolean {
  const baseline = input.inFlight ?? input.confirmed;
  if (sameLines(input.computed, baseline)) return false;
  if (!input.retryRequested && sameLines(input.computed, input.rejected)) return false;
  return true;
}
