import { ContractError } from '../../../../shared/contract';
import type { CarrierMappingRow, DespatchSummary } from '../../../../shared/contract/despatch';
import type { Carrier, Marketplace } from '../../connectors/marketplace';
import type { SapConnector } from '../../connectors/sap-b1';
import type { Ledger } from '../../ledger';
import type { Clock, Logger } from '../../ports';
import type { DespatchSettings } from '../../../../shared/domain/despatch';
import type { CommandHandlers, QueryHandlers } from '../flow';
import { DespatchRepository } from './repository';
import { despatchSummary } from './summary';
import { suggestCarriers } from './suggestions';

export interface DespatchHandlerDeps {
  ledger: Ledger;
  clock: Clock;
  logger: Logger;
  settings: () => DespatchSettings;
  sap: () => SapConnector | null;
  marketplace: () => Marketplace | null;
  /** Runs the despatch flow now and resolves when that run is over (joins one in flight). */
  runNow: () => Promise<unknown>;
}

/** Exceptions a mapping or a correction answers: they move to 'retrying', audited as a correction. */
const CORRECTABLE = ['carrier-unmapped', 'tracking-missing', 'marketplace-rejected', 'despatch-overdue'];

/**
 * The Despatch screen's queries, the carrier mapping and the manual despatch correction. Every correction is
 * audited on the exceptions it retries (who, when, before, after) and noted on the order's timeline.
 */
export function despatchHandlers(deps: DespatchHandlerDeps): { queries: QueryHandlers; commands: CommandHandlers } {
  const repo = new DespatchRepository(deps.ledger.db);
  const now = () => new Date(deps.clock.now());
  const summary = (orderId: string): DespatchSummary | null => {
    const row = repo.get(orderId);
    return row ? despatchSummary(repo, deps.ledger, row) : null;
  };

  async function carriers(refresh = false): Promise<Carrier[]> {
    const marketplace = deps.marketplace();
    if (!marketplace) throw new ContractError('failed', 'The marketplace is not configured (Connections)');
    return marketplace.carriers({ refresh });
  }

  async function requireCarrier(code: string): Promise<Carrier> {
    const list = await carriers();
    const found = list.find((c) => c.code === code);
    if (!found) throw new ContractError('failed', `Carrier code '${code}' is not on the marketplace's carrier list (${list.map((c) => c.code).join(', ') || 'empty'})`);
    return found;
  }

  function mappingRow(sapCarrier: string, list: Carrier[]): CarrierMappingRow {
    const m = repo.mapping(sapCarrier);
    return {
      sapCarrier,
      carrierCode: m?.carrierCode ?? null,
      valid: m ? list.some((c) => c.code === m.carrierCode) : false,
      updatedBy: m?.updatedBy ?? null,
      updatedAt: m?.updatedAt ?? null,
      suggestions: suggestCarriers(sapCarrier, list),
    };
  }

  /** Moves the order's correctable despatch exceptions to 'retrying', audited with before and after. */
  function retryOrder(orderId: string, actor: string, before: unknown, after: unknown): boolean {
    let moved = false;
    for (const e of deps.ledger.exceptions.live('despatch')) {
      if (e.record.type !== 'order' || e.record.key !== orderId || !CORRECTABLE.includes(e.type)) continue;
      deps.ledger.exceptions.transition(e.id, 'retrying', 'correct', actor, now(), { before, after });
      moved = true;
    }
    return moved;
  }

  return {
    queries: {
      'despatch.list': (req) => {
        const { rows, total } = repo.list(req);
        return { rows: rows.map((r) => despatchSummary(repo, deps.ledger, r)), total, states: repo.countByState() };
      },
      'despatch.get': (req) => summary(req.orderId),
      'despatch.carriers': async (req) => {
        let list: Carrier[] = [];
        let error: string | null = null;
        try {
          list = await carriers(req.refresh);
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
        }
        // Every SAP carrier the business has: its shipping types (when that is the source), those seen on deliveries, those mapped.
        const names = new Set([...repo.seenCarriers(), ...repo.mappings().map((m) => m.sapCarrier)]);
        const sap = deps.sap();
        if (sap && deps.settings().carrierSource.from === 'shipping-type') {
          try {
            for (const t of await sap.shippingTypes()) names.add(t.Name);
          } catch (e) {
            error ??= `SAP shipping types could not be read: ${e instanceof Error ? e.message : String(e)}`;
          }
        }
        return { carriers: list, mappings: [...names].sort().map((n) => mappingRow(n, list)), error };
      },
    },
    commands: {
      'despatch.saveMapping': async (req) => {
        const list = await carriers();
        await requireCarrier(req.carrierCode);
        const { before } = repo.saveMapping(req.sapCarrier, req.carrierCode, req.actor, now());
        deps.logger.info('Carrier mapping saved', { sapCarrier: req.sapCarrier, carrierCode: req.carrierCode, actor: req.actor });
        const retried: string[] = [];
        for (const orderId of repo.unconfirmedWithCarrier(req.sapCarrier)) {
          const row = repo.get(orderId);
          if (row?.state === 'blocked' && retryOrder(orderId, req.actor, { sapCarrier: req.sapCarrier, carrierCode: before }, { sapCarrier: req.sapCarrier, carrierCode: req.carrierCode })) {
            repo.event(orderId, 'operator', `${req.actor} mapped SAP carrier '${req.sapCarrier}' to ${req.carrierCode}; despatch retried`, now());
            retried.push(orderId);
          }
        }
        if (retried.length) void deps.runNow().catch(() => undefined);
        return { mapping: mappingRow(req.sapCarrier, list), retried };
      },
      'despatch.correct': async (req) => {
        const row = repo.get(req.orderId);
        if (!row) throw new ContractError('failed', `No despatch for order ${req.orderId}: SAP has no Delivery Note for it yet`);
        if (row.state === 'confirmed') throw new ContractError('failed', `The despatch of ${req.orderId} is already confirmed on the marketplace; it is never sent twice`);
        await requireCarrier(req.carrierCode);
        const current = despatchSummary(repo, deps.ledger, row);
        const before = { carrierCode: current.carrierCode, trackingNumber: current.correctedTrackingNumber ?? current.trackingNumber, sapCarrier: current.sapCarrier };
        const after = { carrierCode: req.carrierCode, trackingNumber: req.trackingNumber, rememberMapping: req.rememberMapping, writeBack: req.writeBack };
        repo.correct(req.orderId, { carrierCode: req.carrierCode, trackingNumber: req.trackingNumber, writeBack: req.writeBack }, now());
        if (req.rememberMapping && current.sapCarrier) repo.saveMapping(current.sapCarrier, req.carrierCode, req.actor, now());
        const audited = retryOrder(req.orderId, req.actor, before, after);
        repo.event(
          req.orderId,
          'operator',
          `${req.actor} corrected the despatch: ${before.carrierCode ?? 'no carrier'} ${before.trackingNumber ?? 'no tracking'} → ${req.carrierCode} ${req.trackingNumber}` +
            `${req.rememberMapping && current.sapCarrier ? `; '${current.sapCarrier}' now maps to ${req.carrierCode}` : ''}${req.writeBack ? '; tracking number to be written back to SAP' : ''}`,
          now(),
          { before, after, audited },
        );
        deps.logger.info('Despatch corrected', { orderId: req.orderId, carrierCode: req.carrierCode, actor: req.actor });

        // Retry at once: a run already in flight may have started before the correction, so run again if it did not take it.
        for (let i = 0; i < 2; i++) {
          await deps.runNow();
          if (repo.get(req.orderId)?.state !== 'ready') break;
        }
        const result = summary(req.orderId)!;
        const outcome = result.state === 'confirmed' ? 'confirmed' : result.state === 'blocked' ? 'blocked' : 'pending';
        const message =
          outcome === 'confirmed'
            ? `Despatch confirmed: the marketplace shows ${req.orderId} shipped with ${result.carrierCode} ${req.trackingNumber}`
            : outcome === 'blocked'
              ? `Still held up: ${result.exception?.summary ?? 'see the exception'}${result.exception?.rawError ? ` — ${result.exception.rawError}` : ''}`
              : result.state === 'waiting-lines'
                ? 'Saved: SAP has not delivered every line yet; the despatch is confirmed once it has'
                : 'Saved: the despatch is sent at the next run (the engine may be in dry run or paused)';
        return { outcome, message, despatch: result };
      },
    },
  };
}
