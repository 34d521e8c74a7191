import type { Settings } from '../../../shared/domain/settings';

/**
 * How long after a create whose answer never came SAP may still commit it: the orders settings' settle time, never
 * less than twice SAP's timeout. Until then nothing about that record is sent again (Sales Orders, Invoices, Credit
 * Memos, a payout's documents alike).
 */
export function createSettleMs(settings: Settings): number {
  return Math.max(settings.orders.createSettleSeconds, 2 * (settings.sap?.timeoutSeconds ?? 30)) * 1000;
}
