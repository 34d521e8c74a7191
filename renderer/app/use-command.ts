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

  /** `onError`: the caller shows the failure where the person is looking (a form), instead of the notice bar. */
  async function send<N extends CommandName>(
    key: string,
    name: N,
    request: CommandRequest<N>,
    options: { onError?: (message: string) => void } = {},
  ): Promise<CommandResponse<N> | null> {
    const fail = options.onError ?? ((message: string) => notify('error', message));
    if (readOnly) {
      fail(readOnly);
      return null;
    }
    setBusy(key);
    try {
      return await api.command(name, request);
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
      return null;
    } finally {
      setBusy(null);
    }
  }
  return { busy, send, readOnly: readOnly !== null };
}
