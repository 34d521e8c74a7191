import Decimal from 'decimal.js';

export interface WarehouseStock {
  warehouseCode: string;
  inStock: number;
  committed: number;
}

/**
 * Units of each item already promised to Sales Orders being made in this run (SAP's Committed does not know
 * them until they are created), by item and warehouse.
 */
export class RunCommitments {
  private readonly taken = new Map<string, number>();
  private key = (itemCode: string, warehouse: string) => `${itemCode}|${warehouse}`;

  get(itemCode: string, warehouse: string): number {
    return this.taken.get(this.key(itemCode, warehouse)) ?? 0;
  }

  add(lines: readonly { itemCode: string; warehouse: string; quantity: number }[], sign: 1 | -1 = 1): void {
    for (const l of lines) this.taken.set(this.key(l.itemCode, l.warehouse), this.get(l.itemCode, l.warehouse) + sign * l.quantity);
  }
}

/**
 * The warehouse rule, pure: each line takes its stock from the first warehouse in the priority list that has
 * its quantity available in SAP (in stock less committed, less what earlier lines and orders of this run took),
 * else from the default warehouse. So SAP commits the stock where it is, and the Delivery Note finds it there.
 */
export function chooseWarehouses(
  lines: readonly { itemCode: string; quantity: number }[],
  stockOf: (itemCode: string) => readonly WarehouseStock[],
  priority: readonly string[],
  fallback: string,
  alreadyTaken: (itemCode: string, warehouse: string) => number = () => 0,
): string[] {
  const takenHere = new Map<string, number>();
  return lines.map(({ itemCode, quantity }) => {
    const stock = stockOf(itemCode);
    for (const warehouse of priority) {
      const row = stock.find((s) => s.warehouseCode === warehouse);
      if (!row) continue;
      const key = `${itemCode}|${warehouse}`;
      const available = new Decimal(row.inStock)
        .minus(row.committed)
        .minus(alreadyTaken(itemCode, warehouse))
        .minus(takenHere.get(key) ?? 0);
      if (available.gte(quantity)) {
        takenHere.set(key, (takenHere.get(key) ?? 0) + quantity);
        return warehouse;
      }
    }
    return fallback;
  });
}
