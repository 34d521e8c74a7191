/** How the console's link to the engine is doing; the header shows it. Electron's IPC is always 'open'. */
export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'open' }
  /** everOpened false: this page has never reached the engine (it is down, or not where the link points). */
  | { kind: 'reconnecting'; attempt: number; retryInMs: number; everOpened: boolean }
  /** The host refused the token, or the URL has none: retrying will not help, the operator needs the right link. */
  | { kind: 'refused'; message: string };

export const MISSING_TOKEN_MESSAGE = 'This console link is missing its access token — open the URL the engine printed.';
export const REFUSED_TOKEN_MESSAGE = 'The engine refused this console link’s access token — open the URL the engine printed when it last started.';
export const UNREACHABLE_MESSAGE =
  'Cannot reach the engine. If it is running, this link’s access token may be out of date — open the URL the engine printed when it last started.';
