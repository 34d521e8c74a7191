import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdmin, type EmulatorAdmin } from './admin';
import { EmulatorClock } from './clock';
import type { EmulatorConfig } from './config';
import { createHandler } from './server';
import { EmulatorState, type Faults } from './state';

export type { EmulatorAdmin } from './admin';
export type { EmulatorConfig } from './config';
export type { Faults, RecordedCall } from './state';
export type { SeedOffer } from './offers';
export type { CreateOrdersInput } from './orders';
export type { CreateReturnInput } from './returns';
export type { OperatorRefundInput } from './refunds';
export type { CloseCycleInput, ManualDocumentInput, PlantedLine } from './billing';
export type { MonthInput, MonthResult } from './month';
export type { CycleSummary, TransactionSummary } from './admin';
export { TRANSACTION_TYPES } from './transactions';
export type { EmuReason } from './config';

export const DEFAULT_API_KEY = 'jl-emulator-key';

export interface MarketplaceEmulatorOptions {
  /** 0 (the default) picks a free port. The server binds 127.0.0.1 only. */
  port?: number;
  apiKey?: string;
  config?: Partial<EmulatorConfig>;
  /** Base time source, e.g. a test's fake clock; the admin API advances on top of it. Default: Date.now. */
  now?: () => number;
  faults?: Faults;
}

export interface MarketplaceEmulator {
  url: string;
  port: number;
  apiKey: string;
  admin: EmulatorAdmin;
  state: EmulatorState;
  stop(): Promise<void>;
}

/** Starts the John Lewis Marketplace (Mirakl seller API) emulator in this process. */
export async function startMarketplaceEmulator(options: MarketplaceEmulatorOptions = {}): Promise<MarketplaceEmulator> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const state = new EmulatorState(new EmulatorClock(options.now), options.config);
  if (options.faults) state.faults = { ...options.faults };
  const admin = createAdmin(state);
  let url = '';
  const handler = createHandler(state, admin, apiKey, () => url);
  const server: Server = createServer((req, res) => {
    handler(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 500, message: (e as Error).message }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    apiKey,
    admin,
    state,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
