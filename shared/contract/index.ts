import { z } from 'zod';
import { EngineStatusSchema, FlowNameSchema, NotificationSchema, RunOutcomeSchema, RunSchema } from '../domain/flows';
import { ExceptionSchema } from '../domain/exceptions';
import { SettingsPatchSchema, SettingsSchema } from '../domain/settings';
import { EngineDiagnosticsSchema } from '../domain/diagnostics';
import { connectionCommands, connectionQueries } from './connections';
import { exceptionCommands, exceptionQueries } from './exceptions';
import { healthQueries } from './health';
import { ledgerQueries } from './ledger';
import { searchQueries } from './search';
import { stockQueries } from './stock';
import { ordersCommands, ordersQueries } from './orders';
import { despatchCommands, despatchEvents, despatchQueries } from './despatch';
import { financeCommands, financeQueries } from './finance';
import { settlementCommands, settlementQueries } from './settlement';

/**
 * The one contract between the engine and any console (Electron preload or the headless host's WebSocket).
 * Bump CONTRACT_VERSION when a message changes shape; hosts refuse a console speaking another version.
 */
export const CONTRACT_VERSION = 7;

const Empty = z.object({}).strict();
const Ack = z.object({ ok: z.literal(true) });
const Actor = z.string().trim().min(1).max(80);

export const queries = {
  'status.get': { request: Empty, response: EngineStatusSchema },
  /** The engine process's own memory and event-loop blocking (for IT). */
  'engine.diagnostics': { request: Empty, response: EngineDiagnosticsSchema },
  'runs.list': {
    request: z
      .object({
        flow: FlowNameSchema.optional(),
        outcome: RunOutcomeSchema.optional(),
        /** Leave these flows' runs out (the Runs screen hides the minute-by-minute health checks unless asked). */
        exceptFlows: z.array(FlowNameSchema).max(20).optional(),
        limit: z.number().int().min(1).max(500).default(50),
        /** Newest first: skip this many (the console's next page). */
        offset: z.number().int().min(0).optional(),
      })
      .strict(),
    /** Newest first. No total: the runs table only grows, and the console pages until a page comes back short. */
    response: z.array(RunSchema),
  },
  ...exceptionQueries,
  ...healthQueries,
  ...ledgerQueries,
  ...searchQueries,
  'settings.get': { request: Empty, response: SettingsSchema },
  ...connectionQueries,
  ...stockQueries,
  ...ordersQueries,
  ...despatchQueries,
  ...financeQueries,
  ...settlementQueries,
} as const;

export const commands = {
  'engine.runNow': { request: z.object({ flow: FlowNameSchema.optional() }).strict(), response: z.object({ started: z.array(FlowNameSchema) }) },
  'engine.pause': { request: Empty, response: Ack },
  'engine.resume': { request: Empty, response: Ack },
  /** Starts the engine's "since reset" memory and event-loop figures again. */
  'engine.diagnostics.reset': { request: Empty, response: Ack },
  ...exceptionCommands,
  'settings.update': { request: z.object({ patch: SettingsPatchSchema, actor: Actor }).strict(), response: SettingsSchema },
  ...connectionCommands,
  ...ordersCommands,
  ...despatchCommands,
  ...financeCommands,
  ...settlementCommands,
} as const;

export const events = {
  'status.changed': EngineStatusSchema,
  'run.finished': RunSchema,
  'exception.changed': ExceptionSchema,
  /** What the tray notifies, for consoles that notify themselves (a browser with the headless host). */
  notification: NotificationSchema,
  ...despatchEvents,
} as const;

export type QueryName = keyof typeof queries;
export type CommandName = keyof typeof commands;
export type EventName = keyof typeof events;
export type QueryRequest<N extends QueryName> = z.input<(typeof queries)[N]['request']>;
export type QueryResponse<N extends QueryName> = z.infer<(typeof queries)[N]['response']>;
export type CommandRequest<N extends CommandName> = z.input<(typeof commands)[N]['request']>;
export type CommandResponse<N extends CommandName> = z.infer<(typeof commands)[N]['response']>;
export type EventPayload<N extends EventName> = z.infer<(typeof events)[N]>;
/** A request after parsing (defaults filled in): what handlers receive. */
export type ParsedQueryRequest<N extends QueryName> = z.infer<(typeof queries)[N]['request']>;
export type ParsedCommandRequest<N extends CommandName> = z.infer<(typeof commands)[N]['request']>;

export const isQueryName = (name: unknown): name is QueryName => typeof name === 'string' && Object.hasOwn(queries, name);
export const isCommandName = (name: unknown): name is CommandName => typeof name === 'string' && Object.hasOwn(commands, name);

/** Raised on the receiving side when a payload does not match its schema; the message names the field. */
export class ContractError extends Error {
  constructor(
    readonly code: 'unknown-message' | 'bad-payload' | 'forbidden' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
}

export function parseQuery<N extends QueryName>(name: N, payload: unknown): { name: N; request: z.infer<(typeof queries)[N]['request']> };
export function parseQuery(name: unknown, payload: unknown): { name: QueryName; request: unknown };
export function parseQuery<N extends QueryName>(name: unknown, payload: unknown): { name: N; request: z.infer<(typeof queries)[N]['request']> } {
  if (!isQueryName(name)) throw new ContractError('unknown-message', `Unknown query: ${String(name)}`);
  const parsed = queries[name].request.safeParse(payload ?? {});
  if (!parsed.success) throw new ContractError('bad-payload', `Bad payload for ${name}: ${describe(parsed.error)}`);
  return { name: name as N, request: parsed.data as z.infer<(typeof queries)[N]['request']> };
}

export function parseCommand<N extends CommandName>(name: N, payload: unknown): { name: N; request: z.infer<(typeof commands)[N]['request']> };
export function parseCommand(name: unknown, payload: unknown): { name: CommandName; request: unknown };
export function parseCommand<N extends CommandName>(name: unknown, payload: unknown): { name: N; request: z.infer<(typeof commands)[N]['request']> } {
  if (!isCommandName(name)) throw new ContractError('unknown-message', `Unknown command: ${String(name)}`);
  const parsed = commands[name].request.safeParse(payload ?? {});
  if (!parsed.success) throw new ContractError('bad-payload', `Bad payload for ${name}: ${describe(parsed.error)}`);
  return { name: name as N, request: parsed.data as z.infer<(typeof commands)[N]['request']> };
}

export function parseEvent<N extends EventName>(name: N, payload: unknown): EventPayload<N> {
  const parsed = events[name].safeParse(payload);
  if (!parsed.success) throw new ContractError('bad-payload', `Bad payload for event ${name}: ${describe(parsed.error)}`);
  return parsed.data as EventPayload<N>;
}

/** What the renderer holds: the same shape whether it talks to Electron's preload or the headless host. */
export interface ConsoleApi {
  readonly contractVersion: number;
  query<N extends QueryName>(name: N, request: QueryRequest<N>): Promise<QueryResponse<N>>;
  command<N extends CommandName>(name: N, request: CommandRequest<N>): Promise<CommandResponse<N>>;
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
}

/** Wire envelopes for the headless host's WebSocket (the preload uses Electron IPC with the same names). */
export const ClientMessageSchema = z.object({
  v: z.literal(CONTRACT_VERSION),
  id: z.number().int(),
  kind: z.enum(['query', 'command']),
  name: z.string(),
  payload: z.unknown(),
});
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export type ServerMessage =
  | { v: typeof CONTRACT_VERSION; kind: 'reply'; id: number; ok: true; result: unknown }
  | { v: typeof CONTRACT_VERSION; kind: 'reply'; id: number; ok: false; error: { code: string; message: string } }
  | { v: typeof CONTRACT_VERSION; kind: 'event'; name: EventName; payload: unknown };

/** Electron IPC channel names; the preload and the router share them. */
export const IPC_CHANNELS = { query: 'console:query', command: 'console:command', event: 'console:event' } as const;
