import type { Clock } from '../ports';

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 15_000 };

export interface RetryOptions<T> {
  clock: Clock;
  policy?: RetryPolicy;
  random?: () => number;
  /** True when the failure is worth another attempt (transient, or a read). */
  retryable: (error: unknown) => boolean;
  /** A server-given wait (Retry-After), in ms, which replaces the computed backoff. */
  retryAfterMs?: (error: unknown) => number | undefined;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Runs before a retry, e.g. to look a create up before it is sent again; may return a result instead. */
  beforeRetry?: () => Promise<{ done: true; value: T } | { done: false }>;
}

/** Exponential backoff with full jitter: delay = random × min(max, base × 2^(attempt−1)). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Runs fn with a bounded number of attempts; only failures `retryable` accepts are tried again. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions<T>): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= policy.attempts || !options.retryable(error)) throw error;
      const delay = options.retryAfterMs?.(error) ?? backoffDelay(attempt, policy, random);
      options.onRetry?.(error, attempt, delay);
      await options.clock.sleep(delay);
      if (options.beforeRetry) {
        const found = await options.beforeRetry();
        if (found.done) return found.value;
      }
    }
  }
}
