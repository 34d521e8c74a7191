import type { ConnectionsView } from '../../../shared/contract/connections';
import type { MarketplaceConnection } from '../../../shared/domain/settings';

type SapView = NonNullable<ConnectionsView['sap']>;
export type SapConnectionInput = SapView['connection'];

/** Numbers are kept as typed text so a half-typed value is not coerced while the operator edits. */
export interface SapDraft {
  baseUrl: string;
  serviceLayerVersion: 'v1' | 'v2';
  companyDb: string;
  userName: string;
  maxConcurrency: string;
  timeoutSeconds: string;
}

export interface MarketplaceDraft {
  baseUrl: string;
  shopId: string;
  timeoutSeconds: string;
}

/** Field → message: errors stop the form from sending, hints only advise. */
export type Messages<D> = Partial<Record<keyof D, string>>;
export type Checked<D, C> = { connection: C | null; errors: Messages<D>; hints: Messages<D> };

export function sapDraftFrom(sap: ConnectionsView['sap']): SapDraft {
  // The engine's defaults (v2, 4 requests, 30 s), so a first-time form only needs the address and account.
  if (!sap) return { baseUrl: '', serviceLayerVersion: 'v2', companyDb: '', userName: '', maxConcurrency: '4', timeoutSeconds: '30' };
  const c = sap.connection;
  return {
    baseUrl: c.baseUrl,
    serviceLayerVersion: c.serviceLayerVersion,
    companyDb: c.companyDb,
    userName: c.userName,
    maxConcurrency: String(c.maxConcurrency),
    timeoutSeconds: String(c.timeoutSeconds),
  };
}

export function marketplaceDraftFrom(marketplace: ConnectionsView['marketplace']): MarketplaceDraft {
  if (!marketplace) return { baseUrl: '', shopId: '', timeoutSeconds: '30' };
  const c = marketplace.connection;
  return { baseUrl: c.baseUrl, shopId: c.shopId ?? '', timeoutSeconds: String(c.timeoutSeconds) };
}

export const sameDraft = <D extends object>(a: D, b: D) => (Object.keys(a) as (keyof D)[]).every((k) => a[k] === b[k]);

/**
 * Checks an address before it is sent: it must parse as an http(s) URL, must be the root the connector adds
 * its own path to, and plain http earns a hint because the password or API key would cross the network readable.
 */
export function checkAddress(text: string, addedPath: string): { error?: string; hint?: string } {
  const value = text.trim();
  if (!value) return { error: 'Enter the address.' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { error: 'This is not a complete address: it should look like https://host:port.' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { error: 'The address must start with https://.' };
  if (url.pathname.replace(/\/+$/, '').toLowerCase().includes(addedPath)) return { error: `Leave out ${addedPath}: the console adds it.` };
  if (url.protocol === 'http:') return { hint: 'https:// is recommended: over http:// the password or API key crosses the network unencrypted.' };
  return {};
}

function wholeNumber(text: string, min: number, max: number, what: string): { value?: number; error?: string } {
  const value = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) return { error: `${what} must be a whole number from ${min} to ${max}.` };
  return { value };
}

export function checkSapDraft(draft: SapDraft): Checked<SapDraft, SapConnectionInput> {
  const errors: Messages<SapDraft> = {};
  const hints: Messages<SapDraft> = {};
  const address = checkAddress(draft.baseUrl, '/b1s');
  if (address.error) errors.baseUrl = address.error;
  if (address.hint) hints.baseUrl = address.hint;
  if (!draft.companyDb.trim()) errors.companyDb = 'Enter the company database, e.g. SBODEMOGB.';
  if (!draft.userName.trim()) errors.userName = 'Enter the SAP user name.';
  const concurrency = wholeNumber(draft.maxConcurrency, 1, 16, 'Concurrent requests');
  if (concurrency.error) errors.maxConcurrency = concurrency.error;
  const timeout = wholeNumber(draft.timeoutSeconds, 1, 600, 'The timeout');
  if (timeout.error) errors.timeoutSeconds = timeout.error;
  if (Object.keys(errors).length) return { connection: null, errors, hints };
  return {
    connection: {
      baseUrl: draft.baseUrl.trim().replace(/\/+$/, ''),
      serviceLayerVersion: draft.serviceLayerVersion,
      companyDb: draft.companyDb.trim(),
      userName: draft.userName.trim(),
      maxConcurrency: concurrency.value!,
      timeoutSeconds: timeout.value!,
    },
    errors,
    hints,
  };
}

export function checkMarketplaceDraft(draft: MarketplaceDraft): Checked<MarketplaceDraft, MarketplaceConnection> {
  const errors: Messages<MarketplaceDraft> = {};
  const hints: Messages<MarketplaceDraft> = {};
  const address = checkAddress(draft.baseUrl, '/api');
  if (address.error) errors.baseUrl = address.error;
  if (address.hint) hints.baseUrl = address.hint;
  const timeout = wholeNumber(draft.timeoutSeconds, 1, 600, 'The timeout');
  if (timeout.error) errors.timeoutSeconds = timeout.error;
  if (Object.keys(errors).length) return { connection: null, errors, hints };
  return {
    connection: { baseUrl: draft.baseUrl.trim().replace(/\/+$/, ''), shopId: draft.shopId.trim() || null, timeoutSeconds: timeout.value! },
    errors,
    hints,
  };
}

/** The errors worth showing now: every one after a save attempt, otherwise only on fields the operator has changed. */
export function shownErrors<D extends object>(errors: Messages<D>, draft: D, saved: D, attempted: boolean): Messages<D> {
  if (attempted) return errors;
  return Object.fromEntries(Object.entries(errors).filter(([k]) => draft[k as keyof D] !== saved[k as keyof D])) as Messages<D>;
}
