import type { StockRejection } from '../../connectors/ports/marketplace';

export type RejectionKind = 'sku-unknown' | 'bad-quantity' | 'stock-line-rejected';

export interface RejectionCopy {
  kind: RejectionKind;
  summary: (sku: string) => string;
  suggestedAction: string;
}

const COPY: Record<RejectionKind, Omit<RejectionCopy, 'kind'>> = {
  'sku-unknown': {
    summary: (sku) => `SKU ${sku} is unknown on the marketplace, so its stock was not updated`,
    suggestedAction:
      'Create the offer on John Lewis, or map the SKU to the right SAP item in the console. The figure is sent again when it changes or when you retry.',
  },
  'bad-quantity': {
    summary: (sku) => `The marketplace refused the quantity sent for SKU ${sku} (bad quantity)`,
    suggestedAction: 'Check the item’s stock and units of measure in SAP and the SKU’s buffer and cap, then retry.',
  },
  'stock-line-rejected': {
    summary: (sku) => `The marketplace rejected the stock line for SKU ${sku}`,
    suggestedAction: 'Read the marketplace’s reason below, correct the offer or the SKU mapping, then retry.',
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
