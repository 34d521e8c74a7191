import type { StockRejection } from '../../connectors/ports/marketplace';
import type { ExceptionTypeOf } from '../../../../shared/domain/exception-catalogue';

/** The stock exceptions a refused line becomes (the catalogue holds what to do about each). */
export type RejectionKind = Extract<ExceptionTypeOf<'stock'>, 'sku-unknown' | 'bad-quantity' | 'stock-line-rejected'>;

export interface RejectionCopy {
  kind: RejectionKind;
  summary: (sku: string) => string;
}

const COPY: Record<RejectionKind, Omit<RejectionCopy, 'kind'>> = {
  'sku-unknown': {
    summary: (sku) => `SKU ${sku} is unknown on the marketplace, so its stock was not updated`,
  },
  'bad-quantity': {
    summary: (sku) => `The marketplace refused the quantity sent for SKU ${sku} (bad quantity)`,
  },
  'stock-line-rejected': {
    summary: (sku) => `The marketplace rejected the stock line for SKU ${sku}`,
  },
};

/** Sorts a STO03 error line into a problem an operator can act on; the marketplace's reason is kept verbatim. */
export function classifyRejection(rejection: Pick<StockRejection, 'reason'>): RejectionCopy {
  const reason = rejection.reason.toLowerCase();
  const kind: RejectionKind = /does not exist|unknown|not found|no offer/.test(reason)
    ? 'sku-unknown'
    : /quantit/.test(reason)
      ? 'bad-quantity'
      : 'stock-line-rejected';
  return { kind, ...COPY[kind] };
}

export const REJECTION_KINDS: readonly RejectionKind[] = ['sku-unknown', 'bad-quantity', 'stock-line-rejected'];
