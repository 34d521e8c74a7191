import { z } from 'zod';
import { CONTRACT_VERSION } from '../../shared/contract';

/**
 * The server half of the WebSocket envelope. The contract declares it as a TypeScript type only;
 * the console parses it here so a malformed frame is refused before its payload is looked at.
 */
// A plain union: two reply shapes share kind 'reply' (told apart by ok), which discriminatedUnion refuses.
export const ServerMessageSchema = z.union([
  z.object({ v: z.literal(CONTRACT_VERSION), kind: z.literal('reply'), id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({
    v: z.literal(CONTRACT_VERSION),
    kind: z.literal('reply'),
    id: z.number().int(),
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
  z.object({ v: z.literal(CONTRACT_VERSION), kind: z.literal('event'), name: z.string(), payload: z.unknown() }),
]);

/** An error the engine replied with, or a reply the console could not accept. `code` is the engine's code or one of ours. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
