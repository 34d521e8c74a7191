/**
 * A failed marketplace call: which operation, the HTTP status and the marketplace's own message, verbatim
 * (truncated). Built by hand from the response so that no request header — the API key — can ride along.
 */
export class MarketplaceError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number | null,
    message: string,
    /** The marketplace's body, as text, for the exception's raw error. */
    readonly rawBody: string | null,
    /** Transient (network, timeout, 5xx, 429): worth another attempt later. */
    readonly transient: boolean,
    /** For 429: how long the marketplace asked us to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'MarketplaceError';
  }
}

export const isMarketplaceError = (e: unknown): e is MarketplaceError => e instanceof MarketplaceError;

/** Thrown before a call when the request itself is wrong by the platform's rules (e.g. a line without a decision). */
export class MarketplaceRequestError extends Error {
  constructor(
    readonly operation: string,
    message: string,
  ) {
    super(message);
    this.name = 'MarketplaceRequestError';
  }
}
