import { z } from 'zod';
import { MarketplaceConnectionSchema, SapConnectionSchema } from '../domain/settings';

/**
 * Setting up the two connections from the console: addresses, accounts, secrets (sent once, never shown again),
 * trusting SAP's self-signed certificate after the operator has seen its fingerprint, testing each side, and what
 * the marketplace says about the shop (shop model, currency, tax mode, multi-shipment, carriers rule).
 */
const Actor = z.string().trim().min(1).max(80);
const Fingerprint = z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'a SHA-256 fingerprint in AA:BB:… form');

export const SapConnectionInputSchema = SapConnectionSchema.omit({ pinnedCertificate: true });

export const PresentedCertificateSchema = z.object({
  sha256: Fingerprint,
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  selfSigned: z.boolean(),
});

export const ConnectionTestSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number().nonnegative().nullable(),
  /** What went right or wrong, in the other system's words where it gave any. */
  message: z.string(),
});

export const ShopProfileSchema = z.object({
  shopId: z.string().nullable(),
  shopName: z.string().nullable(),
  model: z.string().nullable(),
  currency: z.string().nullable(),
  taxMode: z.string().nullable(),
  orderAcceptance: z.string().nullable(),
  multiShipment: z.boolean().nullable(),
  alternativeCarriersDisabled: z.boolean().nullable(),
  returnsEnabled: z.boolean().nullable(),
  /** When the marketplace was asked for the shop profile (A01, once a day at most): a later test shows the same read. */
  readAt: z.string().nullable(),
});

export const ConnectionsViewSchema = z.object({
  sap: z
    .object({
      connection: SapConnectionInputSchema,
      passwordSet: z.boolean(),
      pinnedCertificate: z.object({ sha256: Fingerprint }).nullable(),
    })
    .nullable(),
  marketplace: z.object({ connection: MarketplaceConnectionSchema, apiKeySet: z.boolean() }).nullable(),
});
export type ConnectionsView = z.infer<typeof ConnectionsViewSchema>;

export const connectionQueries = {
  'connections.get': { request: z.object({}).strict(), response: ConnectionsViewSchema },
} as const;

export const connectionCommands = {
  'connections.saveSap': {
    request: z.object({ connection: SapConnectionInputSchema, password: z.string().min(1).max(200).optional(), actor: Actor }).strict(),
    response: ConnectionsViewSchema,
  },
  'connections.inspectSapCertificate': { request: z.object({}).strict(), response: PresentedCertificateSchema },
  'connections.trustSapCertificate': {
    request: z.object({ sha256: Fingerprint, actor: Actor }).strict(),
    response: ConnectionsViewSchema,
  },
  'connections.forgetSapCertificate': { request: z.object({ actor: Actor }).strict(), response: ConnectionsViewSchema },
  /**
   * Signs in afresh with what the form holds: the connection as typed (the saved one when absent) and the typed
   * password (the stored one when absent). Nothing is saved, and no session the flows use is reused.
   */
  'connections.testSap': {
    request: z.object({ connection: SapConnectionInputSchema.optional(), password: z.string().min(1).max(200).optional() }).strict(),
    response: ConnectionTestSchema,
  },
  'connections.saveMarketplace': {
    request: z.object({ connection: MarketplaceConnectionSchema, apiKey: z.string().min(1).max(500).optional(), actor: Actor }).strict(),
    response: ConnectionsViewSchema,
  },
  'connections.testMarketplace': {
    request: z.object({}).strict(),
    response: ConnectionTestSchema.extend({ shop: ShopProfileSchema.nullable() }),
  },
} as const;
