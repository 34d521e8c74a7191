import type { QueryResponse } from '../../shared/contract';
import type { SkuBreakdown } from '../../shared/domain/stock';

/** The stock flow's screen queries, in memory: a test sets what the engine would answer. */
export class FakeStock {
  lastCycle: QueryResponse<'stock.lastCycle'> = null;
  breakdowns: SkuBreakdown[] = [];
  /** The reconciliation's rows; its answer is paged and counted from these. */
  reconciliation: Pick<QueryResponse<'stock.reconciliation'>, 'rows' | 'reconciledAt'> = { rows: [], reconciledAt: null };

  answer(name: string, r: Record<string, unknown>): unknown {
    switch (name) {
      case 'stock.lastCycle':
        return this.lastCycle;
      case 'stock.breakdown':
        return this.breakdowns.find((b) => b.sku === r.sku) ?? null;
      case 'stock.skus': {
        const search = String(r.search ?? '');
        // The list's rows are the breakdowns' figures (the contract's parse drops the warehouse detail).
        const rows = this.breakdowns.filter((b) => b.sku.includes(search) || b.itemCode.includes(search));
        const offset = r.offset as number;
        return { rows: rows.slice(offset, offset + (r.limit as number)), total: rows.length };
      }
      case 'stock.reconciliation': {
        const rows = this.reconciliation.rows.filter((row) => !r.side || row.side === r.side);
        const offset = r.offset as number;
        return { rows: rows.slice(offset, offset + (r.limit as number)), total: rows.length, reconciledAt: this.reconciliation.reconciledAt };
      }
      default:
        throw new Error(`FakeStock does not answer ${name}`);
    }
  }
}
