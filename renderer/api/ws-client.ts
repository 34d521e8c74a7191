import {
  CONTRACT_VERSION,
  commands,
  events,
  parseEvent,
  queries,
  type ClientMessage,
  type CommandName,
  type ConsoleApi,
  type EventName,
  type QueryName,
} from '../../shared/contract';
import type { ConnectionState } from './connection';
import { REFUSED_TOKEN_MESSAGE } from './connection';
import { ApiError, ServerMessageSchema } from './envelope';
import { requestWords } from './request-words';

/** What the client needs from a socket; the browser's WebSocket is adapted to it, tests pass a fake. */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export interface SocketHandlers {
  open(): void;
  message(data: unknown): void;
  close(code: number, reason: string): void;
}
export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketLike;

export const browserSocket: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.onopen = () => handlers.open();
  ws.onmessage = (event) => handlers.message(event.data);
  ws.onclose = (event) => handlers.close(event.code, event.reason);
  // A failed connection is followed by a close event; reconnecting is decided there.
  ws.onerror = () => undefined;
  return { send: (data) => ws.send(data), close: (code, reason) => ws.close(code, reason) };
};

/**
 * Close codes with which the host says "not this token": retrying cannot help.
 * 1008 is the standard policy-violation code; 4401/4403 are the application-range twins of HTTP 401/403.
 */
const REFUSED_CODES = new Set([1008, 4401, 4403]);

export interface WsClientOptions {
  url: string;
  createSocket?: SocketFactory;
  /** Reconnect delay doubles from initialMs up to maxMs, so a stopped engine is polled gently but found again quickly. */
  backoff?: { initialMs: number; maxMs: number };
  /** A request the engine has not answered in this time fails, so no button spins forever. */
  requestTimeoutMs?: number;
}

export interface WsConsoleApi extends ConsoleApi {
  readonly connection: ConnectionState;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

interface Pending {
  kind: 'query' | 'command';
  name: string;
  frame: string;
  sent: boolean;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** The connection dropped with the request on the wire: whether it was carried out is unknown. */
function lostWords(p: Pick<Pending, 'kind' | 'name'>): string {
  return p.kind === 'query'
    ? 'Lost the connection to the engine before it answered; the screen may be out of date until it reconnects.'
    : `Lost the connection to the engine before it confirmed ${requestWords(p.kind, p.name)}; check whether it was done before trying again.`;
}

/** No answer in time: the engine is busy or unreachable (commands it accepts are answered at once, queued if need be). */
function lateWords(kind: 'query' | 'command', name: string): string {
  return kind === 'query'
    ? 'The engine is taking too long to answer; the screen may be out of date. It tries again when you come back to it.'
    : `The engine has not confirmed ${requestWords(kind, name)}: it may be busy or unreachable. Check whether it was done before trying again.`;
}

export function createWsClient(options: WsClientOptions): WsConsoleApi {
  const createSocket = options.createSocket ?? browserSocket;
  const { initialMs, maxMs } = options.backoff ?? { initialMs: 500, maxMs: 15_000 };
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;

  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let connection: ConnectionState = { kind: 'connecting' };
  let socket: SocketLike | null = null;
  let open = false;
  let everOpened = false;
  let closed = false;
  let attempt = 0;
  let nextId = 1;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  function setConnection(next: ConnectionState): void {
    connection = next;
    for (const listener of connectionListeners) listener(next);
  }

  function connect(): void {
    socket = createSocket(options.url, {
      open() {
        open = true;
        everOpened = true;
        attempt = 0;
        setConnection({ kind: 'open' });
        for (const p of pending.values()) {
          if (!p.sent) {
            p.sent = true;
            socket?.send(p.frame);
          }
        }
      },
      message: onMessage,
      close(code) {
        open = false;
        socket = null;
        if (closed) return;
        if (REFUSED_CODES.has(code)) {
          setConnection({ kind: 'refused', message: REFUSED_TOKEN_MESSAGE });
          for (const id of pending.keys()) settle(id, new ApiError('forbidden', REFUSED_TOKEN_MESSAGE));
          return;
        }
        // Requests already on the wire may or may not have been carried out: fail them rather than resend a command twice.
        for (const [id, p] of pending) {
          if (p.sent) settle(id, new ApiError('disconnected', lostWords(p)));
        }
        const retryInMs = Math.min(maxMs, initialMs * 2 ** attempt);
        attempt += 1;
        setConnection({ kind: 'reconnecting', attempt, retryInMs, everOpened });
        retryTimer = setTimeout(connect, retryInMs);
      },
    });
  }

  function settle(id: number, outcome: Error | { value: unknown }): void {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    clearTimeout(p.timer);
    if (outcome instanceof Error) p.reject(outcome);
    else p.resolve(outcome.value);
  }

  function onMessage(data: unknown): void {
    let json: unknown;
    try {
      json = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      console.warn('console: ignored a frame that is not JSON');
      return;
    }
    const envelope = ServerMessageSchema.safeParse(json);
    if (!envelope.success) {
      // A frame we cannot read still fails the request it names, so the caller is not left waiting.
      const id = (json as { id?: unknown } | null)?.id;
      if (typeof id === 'number') settle(id, new ApiError('bad-reply', 'The engine sent a reply this console cannot read (contract mismatch?).'));
      else console.warn('console: ignored a malformed frame');
      return;
    }
    const message = envelope.data;
    if (message.kind === 'event') {
      if (!Object.hasOwn(events, message.name)) return;
      const name = message.name as EventName;
      let payload: unknown;
      try {
        payload = parseEvent(name, message.payload);
      } catch (error) {
        console.warn(`console: dropped event ${name}: ${(error as Error).message}`);
        return;
      }
      for (const listener of listeners.get(name) ?? []) (listener as (p: unknown) => void)(payload);
      return;
    }
    const p = pending.get(message.id);
    if (!p) return;
    if (!message.ok) {
      settle(message.id, new ApiError(message.error.code, message.error.message));
      return;
    }
    const schema = p.kind === 'query' ? queries[p.name as QueryName].response : commands[p.name as CommandName].response;
    const parsed = schema.safeParse(message.result);
    if (parsed.success) settle(message.id, { value: parsed.data });
    else {
      const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(result)'}: ${i.message}`).join('; ');
      // The detail is for support (the console's log); the person reads what happened in plain words.
      console.warn(`console: the engine's answer to ${p.name} did not match the contract: ${where}`);
      settle(
        message.id,
        new ApiError(
          'bad-reply',
          `The engine's answer about ${requestWords(p.kind, p.name)} could not be read by this console (a different version?): ${where}`,
        ),
      );
    }
  }

  function request(kind: 'query' | 'command', name: string, payload: unknown): Promise<never> {
    if (connection.kind === 'refused') return Promise.reject(new ApiError('forbidden', connection.message));
    const id = nextId++;
    const message: ClientMessage = { v: CONTRACT_VERSION, id, kind, name, payload };
    const frame = JSON.stringify(message);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => settle(id, new ApiError('timeout', lateWords(kind, name))), requestTimeoutMs);
      const entry: Pending = { kind, name, frame, sent: false, resolve: resolve as (v: unknown) => void, reject, timer };
      pending.set(id, entry);
      // While (re)connecting, requests wait and go out on open; their timeout still runs.
      if (open && socket) {
        entry.sent = true;
        socket.send(frame);
      }
    });
  }

  connect();

  return {
    contractVersion: CONTRACT_VERSION,
    get connection() {
      return connection;
    },
    query: (name, req) => request('query', name, req),
    command: (name, req) => request('command', name, req),
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      socket?.close(1000, 'console closed');
      for (const id of pending.keys()) settle(id, new ApiError('closed', 'The console closed its connection.'));
    },
  };
}
