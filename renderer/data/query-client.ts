import { QueryClient } from '@tanstack/react-query';

/**
 * The QueryClient of one console (created where it mounts, and in the UI tests' render helper). Its defaults are the
 * console's rules for what the engine answers:
 * - No retries: the engine already retries what is worth retrying; a failure is shown, with Try again.
 * - Nothing is asked on window focus or on network changes: the engine is on this machine (IPC or loopback, so
 *   `networkMode: 'always'`: a PC without internet still asks it), and its events say when an answer has changed.
 * - An answer stays current until an engine event says otherwise (`staleTime: Infinity`); one nobody shows is
 *   dropped at once (`gcTime: 0`): nothing listens for its events any more, so no later screen may show it as current.
 */
export function createConsoleQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        networkMode: 'always',
        staleTime: Infinity,
        gcTime: 0,
      },
    },
  });
}

/** The engine's words; a refused link is explained once, full width, so each screen only names it. */
export function errorText(error: unknown): string {
  if ((error as { code?: unknown } | null)?.code === 'forbidden') return 'the engine refused this console link (see above).';
  return error instanceof Error ? error.message : String(error);
}
