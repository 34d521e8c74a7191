import type { QueryResponse } from '../../shared/contract';
import type { SkuBreakdown } from '../../shared/domain/stock';

/** The stock flow's screen queries, in memory: a test sets what the engine would answer. */
export class FakeStock {
  lastCycle: QueryResponse<'stock.lastCycle'> = null;
  breakdowns: SkuBreakdown[] = [];
  reconciliation: QueryResponse<'stock.reconciliation'> = { rows: [], total: 0, reconciledAt: null };

  answer(name: string, r: Record<string, unknown>): unknown {
    switch (name) {
      case 'stock.lastCycle':
        return this.lastCycle;
      case 'stock.breakdown':
        return this.breakdowns.find((b) => b.sku === r.sku) ?? null;
      case 'stock.skus': {
        const search = String(r.search ?? '');
        const rows = this.breakdowns.filter((b) => b.sku.includes(search));
        return { rows, total: rows.length };
      }
      case 'stock.reconciliation':
        return this.reconciliation;
      default:
        throw new Error(`FakeStock does not answer ${name}`);
    }
  }
}
