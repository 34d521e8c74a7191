/**
 * A record's address in the console (`#/orders/000000105-A`, `#/exceptions/42`): what a notification, a search hit or
 * a link opens. The engine writes them, the console follows them (renderer/app/address.ts).
 */
export function consoleAddress(screen: string, key: string | null = null): string {
  return `#/${screen}${key === null ? '' : `/${encodeURIComponent(key)}`}`;
}
