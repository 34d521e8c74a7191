import type { Reason } from '../ports/marketplace';
import type { MiraklClient } from './client';
import { arr, obj, str } from './read';

/** RE02: the operator's reasons of one type (REFUND for OR28). */
export async function fetchReasons(client: MiraklClient, type: 'REFUND'): Promise<unknown> {
  const { body } = await client.ok({ operation: 'RE02', method: 'GET', path: `/api/reasons/${type}`, idempotent: true });
  return body;
}

/** RE02 answers `{reasons:[{code,label,…}]}`; a reason without a code cannot be sent back and is left out. */
export function parseReasons(body: unknown): Reason[] {
  return arr(obj(body).reasons)
    .map((r) => ({ code: str(r.code) ?? '', label: str(r.label) ?? str(r.code) ?? '' }))
    .filter((r) => r.code !== '');
}
