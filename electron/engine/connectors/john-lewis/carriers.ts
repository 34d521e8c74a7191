import type { Carrier } from '../ports/marketplace';
import type { MiraklClient } from './client';
import { arr, obj, str } from './read';

/** SH21, once a day at most: read through a DailyRead, which keeps it across restarts. */
export async function fetchCarriers(client: MiraklClient): Promise<unknown> {
  return (await client.ok({ operation: 'SH21', method: 'GET', path: '/api/shipping/carriers', idempotent: true })).body;
}

export function parseCarriers(body: unknown): Carrier[] {
  return arr(obj(body).carriers)
    .map((c) => ({ code: str(c.code) ?? '', label: str(c.label), standardCode: str(c.standard_code), trackingUrl: str(c.tracking_url) }))
    .filter((c) => c.code !== '');
}
