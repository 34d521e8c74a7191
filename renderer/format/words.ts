import type { ExceptionCategory, ExceptionState, Severity } from '../../shared/domain/exceptions';
import type { FlowName, RunCounts } from '../../shared/domain/flows';

/** The flows as the product names them (UK spelling: despatch). */
export const FLOW_LABELS: Record<FlowName, string> = {
  health: 'Health check',
  orders: 'Orders',
  stock: 'Stock',
  despatch: 'Despatch',
  returns: 'Returns',
  invoicing: 'Invoicing',
  settlement: 'Settlement',
};

const ACRONYMS = /\b(sku|vat|sap|ean|api)\b/gi;

/** A run's count as words: 'refundRequestsSettled' → 'refund requests settled', 'skusRead' → 'SKUs read'. */
export function countName(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\bskus\b/g, 'SKUs')
    .replace(ACRONYMS, (w) => w.toUpperCase());
}

export function formatCounts(counts: RunCounts): string {
  const parts = Object.entries(counts).map(([k, v]) => `${v} ${countName(k)}`);
  return parts.length ? parts.join(' · ') : '—';
}

/** 'sku-unmapped' → 'SKU unmapped', 'vat-mismatch' → 'VAT mismatch': machine names read as words. */
export function humanise(name: string): string {
  const text = name.replace(/[-_]/g, ' ');
  return text.replace(ACRONYMS, (w) => w.toUpperCase()).replace(/^./, (c) => c.toUpperCase());
}

export const STATE_LABELS: Record<ExceptionState, string> = { open: 'Open', retrying: 'Retrying', resolved: 'Resolved', dismissed: 'Dismissed' };
/** What the category means to the person reading the list. */
export const CATEGORY_LABELS: Record<ExceptionCategory, string> = { business: 'Needs a correction', technical: 'Technical' };
export const SEVERITY_LABELS: Record<Severity, string> = { info: 'Info', warning: 'Warning', error: 'Error', critical: 'Critical' };

/** "1 return", "3 returns", "1 delivered order": never "1 returns". */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "orders", "orders and stock", "orders, stock and returns". */
export function listed(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
