import { useState } from 'react';
import type { QueryRequest } from '../../../shared/contract';
import { errorText } from '../../data/query-client';
import { useApi, useConsole } from '../../store/react';
import { saveFile } from './download';

export type ExportRequest = QueryRequest<'payouts.export'>;

/**
 * Asks the engine for a cycle's or a month's export and saves the file it builds. Asked for on a press, never kept:
 * each press reads the ledger as it is then.
 */
export function usePayoutsExport() {
  const api = useApi();
  const notify = useConsole((s) => s.notify);
  const [exporting, setExporting] = useState(false);

  const exportFile = async (request: ExportRequest) => {
    setExporting(true);
    try {
      const file = await api.query('payouts.export', request);
      saveFile(file);
      notify('info', `Saved ${file.fileName}.`);
    } catch (e) {
      notify('error', `Could not export ${request.cycleId ? `cycle ${request.cycleId}` : `month ${request.month ?? ''}`}: ${errorText(e)}`);
    } finally {
      setExporting(false);
    }
  };
  return { exporting, exportFile };
}
