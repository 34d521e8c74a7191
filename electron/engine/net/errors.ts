/**
 * Thrown by the HTTP client under dry run instead of sending a write. Flows catch it and record, on the
 * ledger, what they would have sent.
 */
export class DryRunBlockedError extends Error {
  constructor(
    readonly system: string,
    readonly method: string,
    readonly url: string,
    readonly body: unknown,
  ) {
    super(`Dry run: ${method} ${url} to ${system} was not sent`);
    this.name = 'DryRunBlockedError';
  }
}

export const isDryRunBlocked = (e: unknown): e is DryRunBlockedError => e instanceof DryRunBlockedError;
