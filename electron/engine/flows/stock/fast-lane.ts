import type { Sap } from '../../connectors/ports/sap';
import type { StockRepository } from './repository';

const WATERMARKS = 'watermarks.documents';

/**
 * Item codes on SAP documents created since the last cycle (one small request per kind of document, from marks
 * kept in the ledger). The first cycle only sets the marks: everything is new then.
 */
export async function itemsTouchedBySapDocuments(sap: Sap, repo: StockRepository): Promise<{ itemCodes: Set<string>; commit: () => void }> {
  const stored = repo.state(WATERMARKS);
  const { itemCodes, marks } = await sap.stock.itemsOnDocumentsSince(stored ? (JSON.parse(stored) as Record<string, number>) : null);
  // Marks move only once the cycle has used what was read, so a failed cycle reads the same documents again.
  return { itemCodes, commit: () => repo.setState(WATERMARKS, JSON.stringify(marks)) };
}
