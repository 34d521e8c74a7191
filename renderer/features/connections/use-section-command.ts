import { useState } from 'react';
import type { CommandName, CommandRequest, CommandResponse } from '../../../shared/contract';
import { useApi } from '../../store/react';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Sends a command for one section of the screen and keeps its failure next to the section, in the engine's
 * own words (they name the field or say what SAP answered), rather than in the notice bar above everything.
 */
export function useSectionCommand() {
  const api = useApi();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function send<N extends CommandName>(key: string, name: N, request: CommandRequest<N>): Promise<CommandResponse<N> | null> {
    setBusy(key);
    setError(null);
    try {
      return await api.command(name, request);
    } catch (e) {
      setError(message(e));
      return null;
    } finally {
      setBusy(null);
    }
  }
  return { busy, error, setError, send };
}
