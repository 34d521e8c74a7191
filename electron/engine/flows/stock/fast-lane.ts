import type { SapConnector } from '../../connectors/sap-b1';
import { sapQuery } from '../../connectors/sap-b1';
import type { StockRepository } from './repository';

/** The SAP documents that move InStock or Committed: a Sales Order commits, the others move stock. */
export const STOCK_DOCUMENT_SETS = ['Orders', 'DeliveryNotes', 'Invoices', 'Returns', 'CreditNotes'] as const;
type StockDocumentSet = (typeof STOCK_DOCUMENT_SETS)[number];

const watermarkKey = (set: StockDocumentSet) => `watermark.${set}`;

/**
 * Item codes on SAP documents created since the last cycle (one small request per document set, from a
 * DocEntry watermark kept in the ledger). The first cycle only sets the watermarks: everything is new then.
 */
export async function itemsTouchedBySapDocuments(sap: SapConnector, repo: StockRepository): Promise<{ itemCodes: Set<string>; commit: () => void }> {
  const itemCodes = new Set<string>();
  const next = new Map<StockDocumentSet, number>();
  for (const set of STOCK_DOCUMENT_SETS) {
    const stored = repo.state(watermarkKey(set));
    if (stored === null) {
      const [newest] = await sap.listAll<{ DocEntry: number }>(sapQuery(set).select('DocEntry').orderBy('DocEntry', 'desc').top(1), 1);
      next.set(set, newest?.DocEntry ?? 0);
      continue;
    }
    let mark = Number(stored);
    const q = sapQuery(set)
      .select('DocEntry', 'DocumentLines')
      .filter((f) => f.gt('DocEntry', mark))
      .orderBy('DocEntry');
    for await (const page of sap.list<{ DocEntry: number; DocumentLines?: { ItemCode?: string | null }[] }>(q, 200)) {
      for (const doc of page) {
        mark = Math.max(mark, doc.DocEntry);
        for (const line of doc.DocumentLines ?? []) if (line.ItemCode) itemCodes.add(line.ItemCode);
      }
    }
    next.set(set, mark);
  }
  // Watermarks move only once the cycle has used what was read, so a failed cycle reads the same documents again.
  return { itemCodes, commit: () => next.forEach((mark, set) => repo.setState(watermarkKey(set), String(mark))) };
}
