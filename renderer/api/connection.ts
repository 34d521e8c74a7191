/** How the console's link to the engine is doing; the header shows it. Electron's IPC is always 'open'. */
export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'open' }
  | { kind: 'reconnecting'; attempt: number; retryInMs: number }
  /** The host refused the token, or the URL has none: retrying will not help, the operator needs the right link. */
  | { kind: 'refused'; message: string };

export const MISSING_TOKEN_MESSAGE = 'This console link is missing its access token — open the URL the engine printed.';
export const REFUSED_TOKEN_MESSAGE = 'The engine refused this console link’s access token — open the URL the engine printed when it last started.';
