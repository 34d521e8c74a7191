import type Decimal from 'decimal.js';
import type { Marketplace } from '../../connectors/ports/marketplace';
import type { Sap } from '../../connectors/ports/sap';
import type { RecordRef } from '../../../../shared/domain/exceptions';
import type { FlowContext } from '../flow';
import type { SettlementExceptionType } from './exceptions';
import type { SettlementRepository } from './repository';

/** A billing cycle as a record of exceptions. */
export const cycleRef = (cycleId: string): RecordRef => ({ type: 'billing-cycle', key: cycleId });

/** Everything one run of the settlement flow works with. */
export interface SettlementEnv {
  ctx: FlowContext<'settlement'>;
  repo: SettlementRepository;
  sap: Sap;
  marketplace: Pick<Marketplace, 'finance' | 'shop'>;
  /** The marketplace's customer in SAP: whose invoices and credit memos the payouts pay. */
  customer: string;
  /** Compare the VAT of a sale or refund even where the marketplace states none of its own (false for a dropship shop). */
  compareVat: boolean;
  /** The most a penny split between net and VAT may be and still match (the orders settings' largest rounding). */
  maxRounding: Decimal;
  /** TL02 lines a page (the marketplace allows up to 2,000). */
  pageSize: number;
  /** Chunks of orders matched at once. */
  parallelChunks: number;
  /** Single lookups by the customer's number (NumAtCard) this run may still make, for orders no batched lookup found. */
  singleLookupsLeft: number;
  counts: Record<string, number>;
  now(): Date;
}

export const count = (env: SettlementEnv, key: string, n = 1) => void (env.counts[key] = (env.counts[key] ?? 0) + n);

/** Raises a settlement exception; `recordVersion`: a dismissed one comes back only when this changes (a new difference). */
export function raise(
  env: SettlementEnv,
  record: RecordRef,
  type: SettlementExceptionType,
  summary: string,
  rawError: string | null = null,
  recordVersion: string | null = null,
): void {
  env.ctx.raise({ type, record, summary, rawError, recordVersion });
}
