import { ContractError } from '../../../../shared/contract';
import type { CarrierMappingRow, DespatchOutcome, DespatchSummary, NamedCarrier } from '../../../../shared/contract/despatch';
import type { Carrier, Marketplace, PlatformConfig } from '../../connectors/ports/marketplace';
import type { Sap } from '../../connectors/ports/sap';
import type { Ledger } from '../../ledger';
import type { Clock, Logger } from '../../ports';
import type { DespatchSettings } from '../../../../shared/domain/despatch';
import type { FlowDeps } from '../../engine';
import type { CommandHandlers, QueryHandlers } from '../flow';
import type { OperatorQueue, Turn, Waiter } from './operator-queue';
import { DespatchRepository, targetLabel, type CarrierTarget } from './repository';
import { despatchSummary } from './summary';
import type { PostedOrders } from '../orders/posted-orders';
import { suggestCarriers } from './suggestions';

export interface DespatchHandlerDeps {
  ledger: Ledger;
  clock: Clock;
  logger: Logger;
  settings: () => DespatchSettings;
  sap: () => Sap | null;
  marketplace: () => Marketplace | null;
  postedOrders: PostedOrders;
  /** Runs the despatch flow now and resolves when that run is over (joins one in flight). */
  runNow: () => Promise<unknown>;
  /** The orders a person is waiting on; the flow's runs handle them first. */
  queue: OperatorQueue;
  /** Tells the consoles a queued command's outcome. */
  emit?: FlowDeps['emit'];
}

/** A person waits this long for a correction's outcome; past it, the answer is "queued" and the outcome follows as an event. */
export const ANSWER_WITHIN_MS = 1_500;
/** PC01 (whether the shop accepts carriers its list does not have) is read again after this long. */
const PLATFORM_TTL_MS = 60 * 60_000;

// UK time, as the console shows it (the engine may run on a machine set to another zone).
const clockTime = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Europe/London' });
const hhmm = (iso: string) => clockTime.format(Date.parse(iso));

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
    return row ? despatchSummary(repo, deps.postedOrders, deps.ledger, row, deps.queue.sending(orderId)) : null;
  };

  /** Settles within `ms` on this engine's clock, or says it did not (the work goes on). */
  function within<T>(work: Promise<T>, ms: number): Promise<{ done: true; value: T } | { done: false }> {
    return new Promise((resolve, reject) => {
      const timer = deps.clock.setTimeout(() => resolve({ done: false }), ms);
      work.then(
        (value) => {
          deps.clock.clearTimeout(timer);
          resolve({ done: true, value });
        },
        (error: unknown) => {
          deps.clock.clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  let platform: { at: number; config: PlatformConfig } | undefined;
  /** PC01, kept an hour (read afresh when asked): whether carriers the marketplace list does not have may be sent by name. */
  async function namedCarriers(refresh = false): Promise<'allowed' | 'forbidden' | 'unknown'> {
    const marketplace = deps.marketplace();
    if (!marketplace) return 'unknown';
    try {
      if (refresh || !platform || deps.clock.now() - platform.at > PLATFORM_TTL_MS)
        platform = { at: deps.clock.now(), config: await marketplace.shop.platformConfig() };
    } catch {
      return 'unknown';
    }
    const disabled = platform.config.alternativeCarriersDisabled;
    return disabled === true ? 'forbidden' : disabled === false ? 'allowed' : 'unknown';
  }

  async function carriers(refresh = false): Promise<Carrier[]> {
    const marketplace = deps.marketplace();
    if (!marketplace) throw new ContractError('failed', 'The marketplace is not configured (Connections)');
    return marketplace.shipping.carriers({ refresh });
  }

  async function requireCarrier(code: string): Promise<Carrier> {
    const list = await carriers();
    const found = list.find((c) => c.code === code);
    if (!found)
      throw new ContractError('failed', `Carrier code '${code}' is not on the marketplace's carrier list (${list.map((c) => c.code).join(', ') || 'empty'})`);
    return found;
  }

  function mappingRow(sapCarrier: string, list: Carrier[], named: 'allowed' | 'forbidden' | 'unknown'): CarrierMappingRow {
    const m = repo.mapping(sapCarrier);
    return {
      sapCarrier,
      carrierCode: m?.carrierCode ?? null,
      named: m?.carrierName ? { carrierName: m.carrierName, trackingUrl: m.trackingUrl } : null,
      valid: m ? (m.carrierCode ? list.some((c) => c.code === m.carrierCode) : named !== 'forbidden') : false,
      updatedBy: m?.updatedBy ?? null,
      updatedAt: m?.updatedAt ?? null,
      suggestions: suggestCarriers(sapCarrier, list),
    };
  }

  /** Checks a mapping's target: a code on the marketplace list, or a named carrier where the shop accepts those. */
  async function target(req: { carrierCode?: string; named?: NamedCarrier }): Promise<CarrierTarget> {
    if (req.carrierCode) {
      await requireCarrier(req.carrierCode);
      return { carrierCode: req.carrierCode };
    }
    const named = req.named!;
    const onList = (await carriers()).find((c) => [c.code, c.label].some((n) => n?.toLowerCase() === named.carrierName.toLowerCase()));
    if (onList) throw new ContractError('failed', `${named.carrierName} is on the marketplace's carrier list as ${onList.code}: map it to that code`);
    // A person is about to rely on it: read afresh.
    const stance = await namedCarriers(true);
    if (stance !== 'allowed') {
      throw new ContractError(
        'failed',
        stance === 'forbidden'
          ? 'The marketplace accepts only carriers on its list for this shop: map the SAP carrier to one of them'
          : 'The marketplace did not say whether it accepts carriers outside its list (platform configuration unreadable): try again later, or map to a carrier on its list',
      );
    }
    return { carrierName: named.carrierName, trackingUrl: named.trackingUrl };
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
        return {
          rows: rows.map((r) => despatchSummary(repo, deps.postedOrders, deps.ledger, r, deps.queue.sending(r.orderId))),
          total,
          states: repo.countByState(),
        };
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
            for (const t of await sap.company.shippingTypes()) names.add(t.name);
          } catch (e) {
            error ??= `SAP shipping types could not be read: ${e instanceof Error ? e.message : String(e)}`;
          }
        }
        const named = await namedCarriers(req.refresh);
        return { carriers: list, mappings: [...names].sort().map((n) => mappingRow(n, list, named)), namedCarriers: named, error };
      },
    },
    commands: {
      'despatch.saveMapping': async (req) => {
        const list = await carriers();
        const to = await target(req);
        const after = targetLabel({ carrierCode: 'carrierCode' in to ? to.carrierCode : null, carrierName: 'carrierName' in to ? to.carrierName : null });
        const { before } = repo.saveMapping(req.sapCarrier, to, req.actor, now());
        deps.logger.info('Carrier mapping saved', { sapCarrier: req.sapCarrier, carrier: after, actor: req.actor });
        const retried: string[] = [];
        for (const orderId of repo.unconfirmedWithCarrier(req.sapCarrier)) {
          const row = repo.get(orderId);
          if (
            row?.state === 'blocked' &&
            retryOrder(orderId, req.actor, { sapCarrier: req.sapCarrier, carrier: before }, { sapCarrier: req.sapCarrier, carrier: after })
          ) {
            repo.event(orderId, 'operator', `${req.actor} mapped SAP carrier '${req.sapCarrier}' to ${after}; despatch retried`, now());
            retried.push(orderId);
          }
        }
        if (retried.length) void deps.runNow().catch(() => undefined);
        return { mapping: mappingRow(req.sapCarrier, list, await namedCarriers()), retried };
      },
      'despatch.correct': async (req) => {
        const row = repo.get(req.orderId);
        if (!row) throw new ContractError('failed', `No despatch for order ${req.orderId}: SAP has no Delivery Note for it yet`);
        if (row.state === 'confirmed')
          throw new ContractError('failed', `The despatch of ${req.orderId} is already confirmed on the marketplace; it is never sent twice`);
        // The carrier list is normally cached; if it cannot be read in time, the run checks the code before sending.
        await within(requireCarrier(req.carrierCode), ANSWER_WITHIN_MS);
        const current = despatchSummary(repo, deps.postedOrders, deps.ledger, row, null);
        const before = {
          carrierCode: current.carrierCode,
          trackingNumber: current.correctedTrackingNumber ?? current.trackingNumber,
          sapCarrier: current.sapCarrier,
        };
        const after = { carrierCode: req.carrierCode, trackingNumber: req.trackingNumber, rememberMapping: req.rememberMapping, writeBack: req.writeBack };
        repo.correct(req.orderId, { carrierCode: req.carrierCode, trackingNumber: req.trackingNumber, writeBack: req.writeBack }, now());
        if (req.rememberMapping && current.sapCarrier) repo.saveMapping(current.sapCarrier, { carrierCode: req.carrierCode }, req.actor, now());
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
        return sendNow(req.orderId, req.trackingNumber);
      },
    },
  };

  /**
   * The despatch's turn: the flow's next run (or the one in flight, when it has not passed its operator step) handles
   * it first. A person waits for it up to ANSWER_WITHIN_MS; past that, or when it plainly has to wait longer (a run in
   * flight reading through the order-list window, a call window in use, the marketplace asked to wait), the answer is
   * "queued" at once, with when it is expected to go, and the outcome follows as a despatch.changed event.
   */
  async function sendNow(orderId: string, trackingNumber: string): Promise<DespatchOutcome> {
    const started = deps.clock.now();
    const waiter = deps.queue.add(orderId, now());
    // A run in flight that has passed its operator step is joined and ended first, then the next one takes it.
    const runs = (async () => {
      for (let i = 0; i < 2 && !waiter.done; i++) await deps.runNow();
      deps.queue.expire(waiter, 'the despatch runs ended before reaching it');
    })().catch((error: unknown) => deps.queue.expire(waiter, error instanceof Error ? error.message : String(error)));
    void runs;
    // Behind a run reading orders through the order-list window, it waits for that window too; otherwise only for the
    // calls its own turn makes. Plainly longer than a person waits: queued at once.
    const behindListRead = deps.queue.phase === 'list-read';
    const slot = deps.marketplace()?.shipping.nextSlot?.({ forOperatorAction: !behindListRead }) ?? null;
    const mustWait = slot !== null && slot.getTime() > deps.clock.now() + ANSWER_WITHIN_MS;
    if (!mustWait) {
      const answered = await within(waiter.turn, ANSWER_WITHIN_MS);
      if (answered.done) {
        deps.queue.drop(orderId, waiter);
        return outcomeOf(orderId, trackingNumber, answered.value);
      }
    }
    waiter.sendsAt = slot && slot.getTime() > deps.clock.now() + 5_000 ? slot.toISOString() : null;
    void waiter.turn.then((turn) => tellLater(orderId, trackingNumber, waiter, turn));
    deps.logger.info('Despatch correction queued', { orderId, sendsAt: waiter.sendsAt, answeredInMs: deps.clock.now() - started });
    return {
      outcome: 'queued',
      message: waiter.sendsAt ? `Queued — sends at ${hhmm(waiter.sendsAt)}` : 'Queued — sends as soon as the despatch run in progress ends',
      sendsAt: waiter.sendsAt,
      despatch: summary(orderId)!,
    };
  }

  function tellLater(orderId: string, trackingNumber: string, waiter: Waiter, turn: Turn): void {
    deps.queue.drop(orderId, waiter);
    if (turn.kind === 'superseded') return;
    try {
      const outcome = outcomeOf(orderId, trackingNumber, turn);
      deps.emit?.('despatch.changed', { orderId, ...outcome });
    } catch (error) {
      // The engine stopped (ledger closed) before the turn came: the queue shows the despatch as it is at the next start.
      deps.logger.warn('Queued despatch correction not told', { orderId, error: error instanceof Error ? error.message : String(error) });
    }
  }

  function outcomeOf(orderId: string, trackingNumber: string, turn: Turn): DespatchOutcome {
    const result = summary(orderId)!;
    const outcome = result.state === 'confirmed' ? 'confirmed' : result.state === 'blocked' ? 'blocked' : 'pending';
    const carrier = result.carrierCode ?? (result.carrierName ? `${result.carrierName} (named carrier)` : '?');
    const error = turn.kind === 'handled' ? turn.error : null;
    const message =
      outcome === 'confirmed'
        ? `Despatch confirmed: the marketplace shows ${orderId} shipped with ${carrier} ${trackingNumber}`
        : outcome === 'blocked'
          ? `Still held up: ${result.exception?.summary ?? 'see the exception'}${result.exception?.rawError ? ` — ${result.exception.rawError}` : ''}`
          : error
            ? `Not sent yet: ${error}. It is tried again at the next run.`
            : result.state === 'waiting-lines'
              ? 'Saved: SAP has not delivered every line yet; the despatch is confirmed once it has'
              : 'Saved: the despatch is sent at the next run (the engine may be in dry run or paused)';
    return { outcome, message, sendsAt: null, despatch: result };
  }
}
