import type { Clock } from '../../ports';
import type { Carrier } from '../marketplace';
import type { MiraklClient } from './client';
import { arr, obj, str } from './read';

const DAY_MS = 24 * 60 * 60_000;

/** SH21 may be called once a day: the list is cached and refreshed daily (or on request, within the governor). */
export class CarrierCache {
  private cached: { at: number; carriers: Carrier[] } | undefined;

  constructor(
    private readonly client: MiraklClient,
    private readonly clock: Clock,
  ) {}

  async get(refresh = false): Promise<Carrier[]> {
    if (this.cached && !refresh && this.clock.now() - this.cached.at < DAY_MS) return this.cached.carriers;
    const { body } = await this.client.ok({ operation: 'SH21', method: 'GET', path: '/api/shipping/carriers', idempotent: true });
    const carriers = arr(obj(body).carriers)
      .map((c) => ({ code: str(c.code) ?? '', label: str(c.label), standardCode: str(c.standard_code), trackingUrl: str(c.tracking_url) }))
      .filter((c) => c.code !== '');
    this.cached = { at: this.clock.now(), carriers };
    return carriers;
  }
}
