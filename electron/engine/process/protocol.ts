import { ContractError, type EventName } from '../../../shared/contract';
import type { Settings } from '../../../shared/domain/settings';
import type { Notification } from '../ports';

/**
 * What a host and the engine process say to each other over their message port (an Electron utility process's
 * parentPort, a child process's IPC channel or a worker's port). Messages are structured-cloned, never functions:
 * the contract's queries, commands and events cross as they are; the host's ports (settings, secrets,
 * notifications) are calls back to the host.
 */

/** How the host starts an engine: everything a port needs that is not a function. */
export interface EngineProcessInit {
  ledgerFile: string;
  log: { level: string; file: string };
  /** The settings as the host's store holds them now; the engine process keeps this copy and sends changes back. */
  settings: Settings;
  /**
   * A module exporting `buildFlows(deps, options)`, for engines that run other flows than the standard set
   * (tests); an absolute path. The standard flows when absent.
   */
  flows?: { module: string; options?: unknown };
}

/** The engine's methods a host may call across the port. */
export type EngineMethod = 'query' | 'command' | 'start' | 'stop' | 'pause' | 'resume' | 'runNow' | 'runOnce' | 'status' | 'idle';

/** The host's ports the engine calls back. */
export type HostPortMethod = 'settings.update' | 'secrets.get' | 'secrets.set' | 'secrets.delete';

export interface WireError {
  name: string;
  message: string;
  /** A ContractError's code, so the console sees the same refusal as from an engine in its own process. */
  code?: ContractError['code'];
}

export type ToEngine =
  | { type: 'init'; init: EngineProcessInit }
  | { type: 'call'; id: number; method: EngineMethod; args: unknown[] }
  | { type: 'port-reply'; id: number; ok: true; result: unknown }
  | { type: 'port-reply'; id: number; ok: false; error: WireError };

export type FromEngine =
  | { type: 'ready' }
  | { type: 'failed'; error: WireError }
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: WireError }
  | { type: 'event'; name: EventName; payload: unknown }
  | { type: 'notify'; notification: Notification }
  | { type: 'port'; id: number; method: HostPortMethod; args: unknown[] };

export function toWireError(error: unknown): WireError {
  if (error instanceof ContractError) return { name: error.name, message: error.message, code: error.code };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

export function fromWireError(error: WireError): Error {
  if (error.code) return new ContractError(error.code, error.message);
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}
