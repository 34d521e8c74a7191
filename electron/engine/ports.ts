import type { AxiosInstance } from 'axios';
import type { SecretName, Settings, SettingsPatch } from '../../shared/domain/settings';
import type { Severity } from '../../shared/domain/exceptions';
import type { PinnedCertificate } from './net/tls-pin';

/**
 * Everything the engine needs from the world, handed in by its host (Electron shell, headless host, tests).
 * The engine never reaches past these: no electron, no process-wide timers, no global settings.
 */
export interface EnginePorts {
  clock: Clock;
  logger: Logger;
  settings: SettingsStore;
  secrets: SecretStore;
  notifier: Notifier;
  http: HttpClientFactory;
  /** Random numbers in [0, 1), for jitter; injectable so tests are repeatable. */
  random?: () => number;
}

export type TimerHandle = { readonly id: number };

/** Wall-clock time and timers. Tests pass a fake clock and advance it; nothing in the engine calls Date.now() or setTimeout directly. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Resolves after ms on this clock. */
  sleep(ms: number): Promise<void>;
  /**
   * Milliseconds on a clock nobody sets (performance.now), for how long something has taken: the wall clock jumps when
   * a person or NTP sets it. A fake clock gives its own time. Absent: only the wall clock is known.
   */
  monotonic?(): number;
}

export type LogFields = Record<string, unknown>;

/** Structured logging. Fields carry the marketplace order id and SAP DocEntry where they exist; never a secret. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/** Non-secret settings. The Electron host keeps them in electron-store; the headless host in a JSON file beside the ledger. */
export interface SettingsStore {
  get(): Settings;
  update(patch: SettingsPatch): Promise<Settings>;
}

/** Secrets, encrypted at rest by the host (Electron safeStorage) or taken from the environment (headless host). */
export interface SecretStore {
  get(name: SecretName): Promise<string | undefined>;
  set(name: SecretName, value: string): Promise<void>;
  delete(name: SecretName): Promise<void>;
}

export interface Notification {
  title: string;
  body: string;
  severity: Severity;
  /** The console address of what it is about ('#/exceptions/42'): clicking the notification opens it. */
  address?: string | null;
}

/** OS notifications (Electron) or log lines (headless host): how a person hears that sync is failing. */
export interface Notifier {
  notify(notification: Notification): void;
}

export interface HttpClientOptions {
  /** Which system this client talks to, for logs and errors ("sap-b1", "marketplace"). */
  system: string;
  baseURL: string;
  timeoutMs: number;
  /** Trust this self-signed certificate (pinned by SHA-256) instead of the system CAs. Verification stays on. */
  pinnedCertificate?: PinnedCertificate | null;
  /** Called per request: when true, writes are refused and recorded instead (dry run). */
  isDryRun: () => boolean;
}

/** Builds the one axios client each connector owns. */
export interface HttpClientFactory {
  create(options: HttpClientOptions): AxiosInstance;
}
