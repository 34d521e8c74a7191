import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../electron/engine/clock';
import { backoffDelay, withRetry } from '../../electron/engine/net/retry';

describe('withRetry', () => {
  it('retries a transient failure with growing backoff and gives up after the bound', async () => {
    const clock = fakeClock();
    const delays: number[] = [];
    let calls = 0;
    const p = withRetry(
      async () => {
        calls++;
        throw new Error('ECONNRESET');
      },
      { clock, random: () => 1, retryable: () => true, policy: { attempts: 4, baseDelayMs: 100, maxDelayMs: 250 }, onRetry: (_e, _a, d) => delays.push(d) },
    );
    const settled = p.catch((e: Error) => e.message);
    await clock.advance(10_000);
    expect(await settled).toBe('ECONNRESET');
    expect(calls).toBe(4);
    expect(delays).toEqual([100, 200, 250]);
  });

  it('does not retry a failure that is not retryable', async () => {
    const clock = fakeClock();
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error('wrong password');
        },
        { clock, retryable: () => false },
      ),
    ).rejects.toThrow('wrong password');
    expect(calls).toBe(1);
  });

  it('keeps jittered delays within half to all of the ceiling', () => {
    const policy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 8000 };
    expect(backoffDelay(1, policy, () => 0)).toBe(500);
    expect(backoffDelay(4, policy, () => 0.999)).toBeLessThanOrEqual(8000);
    expect(backoffDelay(10, policy, () => 1)).toBe(8000);
  });
});
