import type { ExceptionAction, ExceptionRecord } from '../../shared/domain/exceptions';
import { AVAILABLE_FLOWS, type EngineStatus, type FlowStatus, type Run } from '../../shared/domain/flows';
import { SettingsSchema, type Settings } from '../../shared/domain/settings';

const HOUR = 3600_000;
export const iso = (offsetMs: number, now = Date.now()) => new Date(now + offsetMs).toISOString();

export function makeRun(overrides: Partial<Run> = {}): Run {
  return {
    id: 1,
    flow: 'orders',
    trigger: 'schedule',
    startedAt: iso(-5 * 60_000),
    endedAt: iso(-5 * 60_000 + 2_400),
    outcome: 'succeeded',
    counts: { read: 12, sent: 3 },
    error: null,
    dryRun: false,
    ...overrides,
  };
}

export function makeFlow(overrides: Partial<FlowStatus> = {}): FlowStatus {
  return {
    flow: 'orders',
    enabled: true,
    cadenceSeconds: 60,
    running: false,
    lastRun: makeRun(),
    lastSuccessAt: iso(-5 * 60_000),
    nextRunAt: iso(55_000),
    failureStreak: 0,
    driftSeconds: 0,
    ...overrides,
  };
}

export function makeStatus(overrides: Partial<EngineStatus> = {}): EngineStatus {
  return {
    state: 'running',
    health: 'ok',
    dryRun: false,
    // The flows a real engine of this version runs.
    flows: AVAILABLE_FLOWS.map((flow, i) => makeFlow({ flow, lastRun: makeRun({ id: i + 1, flow }) })),
    openExceptions: 2,
    revision: 1,
    ...overrides,
  };
}

export function makeException(overrides: Partial<ExceptionRecord> = {}): ExceptionRecord {
  return {
    id: 1,
    flow: 'orders',
    type: 'sku-unmapped',
    severity: 'error',
    category: 'business',
    record: { type: 'order', key: '000000086-A' },
    summary: 'SKU JL-1001 has no SAP item, so the Sales Order cannot be created',
    rawError: '{"error":{"code":-10,"message":{"lang":"en-us","value":"1250000075 - Item code JL-1001 does not exist"}}}',
    suggestedAction: 'Map SKU JL-1001 to an SAP item, then retry.',
    state: 'open',
    deadlineAt: iso(3 * HOUR),
    occurrences: 3,
    firstSeenAt: iso(-2 * HOUR),
    lastSeenAt: iso(-10 * 60_000),
    ...overrides,
  };
}

export function makeAction(overrides: Partial<ExceptionAction> = {}): ExceptionAction {
  return { id: 1, exceptionId: 1, action: 'raised', actor: 'engine', reason: null, before: null, after: 'open', at: iso(-2 * HOUR), ...overrides };
}

/** The engine's settings of a console set up already: its role (warehouse office) chosen at the first start. */
export const makeSettings = (overrides: Partial<Settings> = {}): Settings => ({ ...SettingsSchema.parse({}), role: 'operations', ...overrides });
