/**
 * What the marketplace connector keeps beyond one process, so a restarted engine neither calls a once-a-day
 * operation again nor waits a day for it: each governed operation's recent calls (and any wait the marketplace
 * imposed), and the reads the marketplace allows once a day. The engine implements it over its ledger
 * (one store per connection); the connector never sees the ledger.
 */
export interface MarketplaceCallStore {
  /** The calls of `operation` kept (epoch ms, oldest first) and until when the marketplace said to wait (epoch ms). */
  window(operation: string): CallWindow;
  saveWindow(operation: string, window: CallWindow): void;
  /** A read allowed once a day (the carrier list, the shop profile) as last made: when, and its answer. */
  daily(name: string): DailyRead | null;
  saveDaily(name: string, read: DailyRead): void;
  /** Something the marketplace showed about its limits (e.g. that it counts every page of a listing), and until when it holds. */
  finding(name: string): CallFinding | null;
  saveFinding(name: string, finding: CallFinding): void;
}

export interface CallFinding {
  /** Epoch ms: when the marketplace showed it. */
  since: number;
  /** Epoch ms: until when the connector acts on it. */
  until: number;
  /** What the marketplace answered, in its words. */
  detail: string;
}

export interface CallWindow {
  calls: number[];
  pausedUntil: number | null;
}

export interface DailyRead {
  /** Epoch ms. */
  readAt: number;
  /** The parsed answer, as JSON. */
  body: unknown;
}

/** Kept in memory only (tests and tools); the engine passes one kept in the ledger. */
export function memoryCallStore(): MarketplaceCallStore {
  const windows = new Map<string, CallWindow>();
  const reads = new Map<string, DailyRead>();
  const findings = new Map<string, CallFinding>();
  return {
    window: (operation) => windows.get(operation) ?? { calls: [], pausedUntil: null },
    saveWindow: (operation, window) => void windows.set(operation, { calls: [...window.calls], pausedUntil: window.pausedUntil }),
    daily: (name) => reads.get(name) ?? null,
    saveDaily: (name, read) => void reads.set(name, read),
    finding: (name) => findings.get(name) ?? null,
    saveFinding: (name, finding) => void findings.set(name, { ...finding }),
  };
}
