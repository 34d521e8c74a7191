import type { IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { ContractError, IPC_CHANNELS, isCommandName, isQueryName, parseCommand, parseQuery } from '../../shared/contract';
import type { ContractEndpoint, Logger } from '../engine';
import { originOf } from './security';

/** The part of ipcMain the router uses, so tests can hand it a fake. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/**
 * A frame is trusted when it is a window's main frame and shows our own console (app://console, or the development
 * server of an unpackaged app), never a page it navigated to, a subframe, or a frame already gone.
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, trustedOrigins: readonly string[]): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  const origin = originOf(frame.url);
  return origin !== null && trustedOrigins.includes(origin);
}

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

/** The only channels the console invokes; anything else is refused whatever it carries. */
const ROUTED_CHANNELS = { [IPC_CHANNELS.query]: 'query', [IPC_CHANNELS.command]: 'command' } as const;

/** What an invoke on a routed channel carries: the message's name and its payload, nothing more. */
const IpcArgsSchema = z.tuple([z.string().min(1).max(100), z.unknown()]);

const refusal = (code: string, message: string): IpcReply => ({ ok: false, error: { code, message } });

/**
 * Answers the console's queries and commands over IPC. Each invoke is checked here, in the main process, before the
 * engine's process hears of it: the channel is one of the two, the sender frame is our console's main frame, the
 * arguments are a name and a payload, the name is in the contract and the payload parses with its schema. Errors are
 * returned as values, so the renderer sees the engine's message rather than Electron's wrapped one.
 */
export function routeIpc(
  channel: string,
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  args: unknown[],
  engine: ContractEndpoint,
  options: { trustedOrigins: readonly string[]; logger: Logger },
): Promise<IpcReply> | IpcReply {
  const kind = Object.hasOwn(ROUTED_CHANNELS, channel) ? ROUTED_CHANNELS[channel as keyof typeof ROUTED_CHANNELS] : null;
  if (!kind) {
    options.logger.warn('IPC on an unknown channel refused', { channel: String(channel).slice(0, 100) });
    return refusal('unknown-message', `The console takes no messages on the channel ${String(channel).slice(0, 100)}`);
  }
  if (!isTrustedSender(event, options.trustedOrigins)) {
    options.logger.warn('IPC from an untrusted frame refused', { kind, url: event.senderFrame?.url ?? null });
    return refusal('forbidden', 'This frame may not talk to the engine');
  }
  const parsedArgs = IpcArgsSchema.safeParse(args);
  if (!parsedArgs.success) return refusal('bad-payload', 'A console message is a name and a payload');
  const [name, payload] = parsedArgs.data;
  if (kind === 'query' ? !isQueryName(name) : !isCommandName(name)) return refusal('unknown-message', `Unknown ${kind}: ${name}`);
  try {
    // Parsed here so a bad payload never reaches the engine's process; the engine parses it (as sent) again on its side.
    if (kind === 'query') parseQuery(name, payload);
    else parseCommand(name, payload);
  } catch (error) {
    return refusal(error instanceof ContractError ? error.code : 'bad-payload', error instanceof Error ? error.message : String(error));
  }
  return answer(kind, name, payload, engine);
}

async function answer(kind: 'query' | 'command', name: string, payload: unknown, engine: ContractEndpoint): Promise<IpcReply> {
  try {
    const result = kind === 'query' ? await engine.query(name as never, payload) : await engine.command(name as never, payload);
    return { ok: true, result };
  } catch (error) {
    return refusal(error instanceof ContractError ? error.code : 'failed', error instanceof Error ? error.message : String(error));
  }
}

/** Registers the two routed channels (and no other) on ipcMain; returns the way to take them off again. */
export function registerIpcRouter(ipc: IpcMainLike, engine: ContractEndpoint, options: { trustedOrigins: readonly string[]; logger: Logger }): () => void {
  for (const channel of Object.keys(ROUTED_CHANNELS)) ipc.handle(channel, (event, ...args) => routeIpc(channel, event, args, engine, options));
  return () => {
    for (const channel of Object.keys(ROUTED_CHANNELS)) ipc.removeHandler(channel);
  };
}
