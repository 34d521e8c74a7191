import { z } from 'zod';
import { FLOW_NAMES, type FlowName } from './flows';
import { DEFAULT_ORDERS_SETTINGS, OrdersSettingsPatchSchema, OrdersSettingsSchema } from './orders';
import { DEFAULT_DESPATCH_SETTINGS, DespatchSettingsPatchSchema, DespatchSettingsSchema } from './despatch';
import { DEFAULT_STOCK_SETTINGS, StockSettingsPatchSchema, StockSettingsSchema } from './stock';
import {
  DEFAULT_INVOICING_SETTINGS,
  DEFAULT_RETURNS_SETTINGS,
  InvoicingSettingsPatchSchema,
  InvoicingSettingsSchema,
  ConsoleRoleSchema,
  DEFAULT_SETTLEMENT_SETTINGS,
  SettlementSettingsPatchSchema,
  SettlementSettingsSchema,
  ReturnsSettingsPatchSchema,
  ReturnsSettingsSchema,
} from './finance';
import { DEFAULT_RETENTION_SETTINGS, RetentionSettingsPatchSchema, RetentionSettingsSchema } from './retention';
import { BackupSettingsPatchSchema, BackupSettingsSchema, DEFAULT_BACKUP_SETTINGS } from './ledger-backup';

/** How often a flow runs and whether it runs at all. */
export const FlowScheduleSchema = z.object({
  enabled: z.boolean(),
  cadenceSeconds: z.number().min(1).max(86_400),
});
export type FlowSchedule = z.infer<typeof FlowScheduleSchema>;

export const DEFAULT_SCHEDULES: Record<FlowName, FlowSchedule> = {
  health: { enabled: true, cadenceSeconds: 60 },
  orders: { enabled: false, cadenceSeconds: 60 },
  stock: { enabled: false, cadenceSeconds: 120 },
  despatch: { enabled: false, cadenceSeconds: 300 },
  returns: { enabled: false, cadenceSeconds: 900 },
  // Invoicing checks every 15 minutes whether its daily time has come (and runs at once on "run now").
  invoicing: { enabled: false, cadenceSeconds: 900 },
  settlement: { enabled: false, cadenceSeconds: 21_600 },
};

export const SapConnectionSchema = z.object({
  /** e.g. https://sap-b1.office.lan:50000 — the Service Layer root, without /b1s/v2. */
  baseUrl: z.url(),
  serviceLayerVersion: z.enum(['v1', 'v2']).default('v2'),
  companyDb: z.string().min(1),
  userName: z.string().min(1),
  /** SAP's self-signed certificate the operator agreed to trust, pinned by its SHA-256 fingerprint (AA:BB:… form). */
  pinnedCertificate: z
    .object({ sha256: z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/), pem: z.string().includes('BEGIN CERTIFICATE') })
    .nullable()
    .default(null),
  /** Requests in flight at once, so the integration never crowds out people working in SAP. */
  maxConcurrency: z.number().int().min(1).max(16).default(4),
  timeoutSeconds: z.number().min(1).max(600).default(30),
});
export type SapConnection = z.infer<typeof SapConnectionSchema>;

export const MarketplaceConnectionSchema = z.object({
  /** e.g. https://johnlewis.mirakl.net — the seller API root, without /api. */
  baseUrl: z.url(),
  shopId: z.string().nullable().default(null),
  timeoutSeconds: z.number().min(1).max(600).default(30),
});
export type MarketplaceConnection = z.infer<typeof MarketplaceConnectionSchema>;

export const DesktopSettingsSchema = z.object({
  startAtSignIn: z.boolean().default(true),
  /**
   * Where the desktop app looks for new versions (an electron-builder "generic" feed: a folder on a web server or a
   * share holding latest.yml and the installers). Null: the app never looks, and is updated by IT's installer.
   */
  updateFeedUrl: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .default(null),
});
export type DesktopSettings = z.infer<typeof DesktopSettingsSchema>;

/** Every setting that is not a secret. Secrets (SAP password, marketplace API key) live behind the secrets port only. */
export const SettingsSchema = z.object({
  /** Under dry run, connectors refuse every write and flows record what they would have sent. */
  dryRun: z.boolean().default(false),
  /** Random spread added to each cadence, as a fraction of it, so flows do not fire in lockstep. */
  jitterFraction: z.number().min(0).max(0.5).default(0.1),
  sap: SapConnectionSchema.nullable().default(null),
  marketplace: MarketplaceConnectionSchema.nullable().default(null),
  flows: z
    .object(
      Object.fromEntries(FLOW_NAMES.map((f) => [f, FlowScheduleSchema.default(DEFAULT_SCHEDULES[f])])) as {
        [K in FlowName]: z.ZodDefault<typeof FlowScheduleSchema>;
      },
    )
    .default(DEFAULT_SCHEDULES),
  stock: StockSettingsSchema.default(DEFAULT_STOCK_SETTINGS),
  orders: OrdersSettingsSchema.default(DEFAULT_ORDERS_SETTINGS),
  despatch: DespatchSettingsSchema.default(DEFAULT_DESPATCH_SETTINGS),
  returns: ReturnsSettingsSchema.default(DEFAULT_RETURNS_SETTINGS),
  invoicing: InvoicingSettingsSchema.default(DEFAULT_INVOICING_SETTINGS),
  settlement: SettlementSettingsSchema.default(DEFAULT_SETTLEMENT_SETTINGS),
  /** How long the engine keeps its own bookkeeping (runs, timelines, stock uploads) in the ledger. */
  retention: RetentionSettingsSchema.default(DEFAULT_RETENTION_SETTINGS),
  /** The engine's daily backup of the ledger: on, into the data folder's `backups`, 7 days kept, unless changed. */
  backup: BackupSettingsSchema.default(DEFAULT_BACKUP_SETTINGS),
  /** Which PC this console is (chosen at first start): operations run the sync flows, finance runs settlement only. */
  role: ConsoleRoleSchema.nullable().default(null),
  /** The desktop app on Windows: start in the tray when the user signs in, so sync never waits for someone to open it. */
  desktop: DesktopSettingsSchema.default({ startAtSignIn: true, updateFeedUrl: null }),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const SettingsPatchSchema = z.object({
  dryRun: z.boolean().optional(),
  sap: SapConnectionSchema.nullable().optional(),
  marketplace: MarketplaceConnectionSchema.nullable().optional(),
  jitterFraction: z.number().min(0).max(0.5).optional(),
  flows: z.partialRecord(z.enum(FLOW_NAMES), FlowScheduleSchema.partial()).optional(),
  stock: StockSettingsPatchSchema.optional(),
  orders: OrdersSettingsPatchSchema.optional(),
  despatch: DespatchSettingsPatchSchema.optional(),
  returns: ReturnsSettingsPatchSchema.optional(),
  invoicing: InvoicingSettingsPatchSchema.optional(),
  settlement: SettlementSettingsPatchSchema.optional(),
  retention: RetentionSettingsPatchSchema.optional(),
  backup: BackupSettingsPatchSchema.optional(),
  role: ConsoleRoleSchema.optional(),
  desktop: DesktopSettingsSchema.partial().optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const SECRET_NAMES = ['sap.password', 'marketplace.apiKey'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/** Applies an operator's settings change on top of the current settings (every host's settings store uses this). */
export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  const flows = { ...current.flows };
  for (const [name, change] of Object.entries(patch.flows ?? {}) as [FlowName, Partial<FlowSchedule>][]) {
    flows[name] = { ...flows[name], ...change };
  }
  return SettingsSchema.parse({
    ...current,
    ...(patch.dryRun === undefined ? {} : { dryRun: patch.dryRun }),
    ...(patch.jitterFraction === undefined ? {} : { jitterFraction: patch.jitterFraction }),
    ...(patch.sap === undefined ? {} : { sap: patch.sap }),
    ...(patch.marketplace === undefined ? {} : { marketplace: patch.marketplace }),
    flows,
    ...(patch.stock ? { stock: { ...current.stock, ...patch.stock } } : {}),
    ...(patch.orders ? { orders: { ...current.orders, ...patch.orders } } : {}),
    ...(patch.despatch ? { despatch: { ...current.despatch, ...patch.despatch } } : {}),
    ...(patch.returns ? { returns: { ...current.returns, ...patch.returns } } : {}),
    ...(patch.invoicing ? { invoicing: { ...current.invoicing, ...patch.invoicing } } : {}),
    ...(patch.settlement ? { settlement: { ...current.settlement, ...patch.settlement } } : {}),
    ...(patch.retention ? { retention: { ...current.retention, ...patch.retention } } : {}),
    ...(patch.backup ? { backup: { ...current.backup, ...patch.backup } } : {}),
    ...(patch.role === undefined ? {} : { role: patch.role }),
    ...(patch.desktop ? { desktop: { ...current.desktop, ...patch.desktop } } : {}),
  });
}

/** Folds a new change into the changes already kept, so a host can persist only what operators changed. */
export function mergeSettingsPatches(earlier: SettingsPatch, later: SettingsPatch): SettingsPatch {
  const flows: NonNullable<SettingsPatch['flows']> = { ...earlier.flows };
  for (const [name, change] of Object.entries(later.flows ?? {}) as [FlowName, Partial<FlowSchedule>][]) {
    flows[name] = { ...flows[name], ...change };
  }
  return {
    ...earlier,
    ...later,
    flows,
    ...(earlier.stock || later.stock ? { stock: { ...earlier.stock, ...later.stock } } : {}),
    ...(earlier.orders || later.orders ? { orders: { ...earlier.orders, ...later.orders } } : {}),
    ...(earlier.despatch || later.despatch ? { despatch: { ...earlier.despatch, ...later.despatch } } : {}),
    ...(earlier.returns || later.returns ? { returns: { ...earlier.returns, ...later.returns } } : {}),
    ...(earlier.invoicing || later.invoicing ? { invoicing: { ...earlier.invoicing, ...later.invoicing } } : {}),
    ...(earlier.settlement || later.settlement ? { settlement: { ...earlier.settlement, ...later.settlement } } : {}),
    ...(earlier.retention || later.retention ? { retention: { ...earlier.retention, ...later.retention } } : {}),
    ...(earlier.backup || later.backup ? { backup: { ...earlier.backup, ...later.backup } } : {}),
    ...(earlier.desktop || later.desktop ? { desktop: { ...earlier.desktop, ...later.desktop } } : {}),
  };
}
