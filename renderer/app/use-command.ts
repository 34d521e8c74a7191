import { useState } from 'react';
import type { CommandName, CommandRequest, CommandResponse } from '../../shared/contract';
import { useApi, useConsole } from '../store/react';

/** Send a command, keep the button busy meanwhile, and report a failure in the notice bar instead of swallowing it. */
export function useCommand() {
  const api = useApi();
  const notify = useConsole((s) => s.notify);
  const [busy, setBusy] = useState<string | null>(null);

  async function send<N extends CommandName>(key: string, name: N, request: CommandRequest<N>): Promise<CommandResponse<N> | null> {
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
  return { busy, send };
}
