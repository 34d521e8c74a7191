import { useState } from 'react';
import type { CommandName, CommandRequest, CommandResponse } from '../../shared/contract';
import { useApi, useConsole } from '../store/react';
import { useReadOnly } from './role';

/**
 * Send a command, keep the button busy meanwhile, and report a failure in the notice bar instead of swallowing it.
 * On a read-only screen (a finance PC's view of the sync flows) nothing is sent, and the notice says why.
 */
export function useCommand() {
  const api = useApi();
  const notify = useConsole((s) => s.notify);
  const readOnly = useReadOnly();
  const [busy, setBusy] = useState<string | null>(null);

  async function send<N extends CommandName>(key: string, name: N, request: CommandRequest<N>): Promise<CommandResponse<N> | null> {
    if (readOnly) {
      notify('error', readOnly);
      return null;
    }
    setBusy(key);
    try {
      return await api.command(name, request);
    } catch (error) {
      notify('error', error instanceof Error ? error.message : String(error));
      return null;
    } finally {
      setBusy(null);
    }
  }
  return { busy, send, readOnly: readOnly !== null };
}
