import type { IpcRendererEvent } from 'electron';
import {
  CONTRACT_VERSION,
  ContractError,
  IPC_CHANNELS,
  commands,
  events,
  queries,
  type CommandName,
  type ConsoleApi,
  type EventName,
  type QueryName,
} from '../../shared/contract';
import type { IpcReply } from '../main/ipc-router';

/** The part of ipcRenderer the preload uses, so tests can hand it a fake. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
}

function unwrap(reply: unknown): unknown {
  const r = reply as IpcReply | undefined;
  if (!r || typeof r !== 'object' || !('ok' in r)) throw new ContractError('bad-payload', 'The engine sent a reply the console does not understand');
  if (!r.ok) throw new ContractError(r.error.code as ContractError['code'], r.error.message);
  return r.result;
}

/**
 * window.api: the contract and nothing else. Named methods only (never ipcRenderer itself); every reply and
 * event is parsed with the contract's schemas before the console sees it.
 */
export function buildConsoleApi(ipc: IpcRendererLike): ConsoleApi {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  ipc.on(IPC_CHANNELS.event, (_event, name, payload) => {
    if (typeof name !== 'string' || !Object.hasOwn(events, name)) return;
    const parsed = events[name as EventName].safeParse(payload);
    if (!parsed.success) return;
    for (const l of listeners.get(name as EventName) ?? []) l(parsed.data);
  });
  return {
    contractVersion: CONTRACT_VERSION,
    async query(name, request) {
      const result = unwrap(await ipc.invoke(IPC_CHANNELS.query, name, request));
      return queries[name as QueryName].response.parse(result) as never;
    },
    async command(name, request) {
      const result = unwrap(await ipc.invoke(IPC_CHANNELS.command, name, request));
      return commands[name as CommandName].response.parse(result) as never;
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(name, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
}
