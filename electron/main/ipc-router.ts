import type { IpcMainInvokeEvent } from 'electron';
import { ContractError, IPC_CHANNELS } from '../../shared/contract';
import type { ContractEndpoint, Logger } from '../engine';

/** The part of ipcMain the router uses, so tests can hand it a fake. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** A frame is trusted when it is the window's main frame and shows our own console, never a page it navigated to. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, trustedOrigins: readonly string[]): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  return url.protocol === 'file:' ? trustedOrigins.includes('file://') : trustedOrigins.includes(url.origin);
}

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

/**
 * Answers the console's queries and commands over IPC: checks the sender frame, parses the payload with the
 * contract (inside engine.query / engine.command), and returns errors as values so the renderer sees the
 * engine's message rather than Electron's wrapped one.
 */
export function registerIpcRouter(ipc: IpcMainLike, engine: ContractEndpoint, options: { trustedOrigins: readonly string[]; logger: Logger }): () => void {
  const guard =
    (kind: 'query' | 'command') =>
    async (event: IpcMainInvokeEvent, name: unknown, payload: unknown): Promise<IpcReply> => {
      if (!isTrustedSender(event, options.trustedOrigins)) {
        options.logger.warn('IPC from an untrusted frame refused', { kind, name: String(name), url: event.senderFrame?.url ?? null });
        return { ok: false, error: { code: 'forbidden', message: 'This frame may not talk to the engine' } };
      }
      try {
        const result = kind === 'query' ? await engine.query(name as never, payload) : await engine.command(name as never, payload);
        return { ok: true, result };
      } catch (error) {
        return {
          ok: false,
          error: { code: error instanceof ContractError ? error.code : 'failed', message: error instanceof Error ? error.message : String(error) },
        };
      }
    };
  ipc.handle(IPC_CHANNELS.query, (e, name, payload) => guard('query')(e, name, payload));
  ipc.handle(IPC_CHANNELS.command, (e, name, payload) => guard('command')(e, name, payload));
  return () => {
    ipc.removeHandler(IPC_CHANNELS.query);
    ipc.removeHandler(IPC_CHANNELS.command);
  };
}
