import { describe, expect, it } from 'vitest';
import { SettingsPatchSchema, SettingsSchema, applySettingsPatch, mergeSettingsPatches } from '../../shared/domain/settings';
import { parseCommand } from '../../shared/contract';

describe('settings changes from the console', () => {
  it('changes only the orders settings an operator sent, checked like the settings themselves', () => {
    const before = SettingsSchema.parse({ orders: { cardCode: 'C-JLM', acceptancePolicy: 'refuse-short-lines' } });
    const patch = parseCommand('settings.update', {
      actor: 'Priya',
      patch: { orders: { cardCode: 'C-JL2', shipping: { as: 'service-item', itemCode: 'DELIVERY' } } },
    }).request.patch;
    const after = applySettingsPatch(before, patch);
    expect(after.orders).toMatchObject({ cardCode: 'C-JL2', acceptancePolicy: 'refuse-short-lines', shipping: { as: 'service-item', itemCode: 'DELIVERY' } });
    expect(() => parseCommand('settings.update', { actor: 'Priya', patch: { orders: { acceptancePolicy: 'maybe' } } })).toThrow(/acceptancePolicy/);
    expect(() => parseCommand('settings.update', { actor: 'Priya', patch: { orders: { lease: { seconds: 5 } } } })).toThrow(/seconds/);
    expect(() => parseCommand('settings.update', { actor: 'Priya', patch: { orders: { ordersFrom: 'next Tuesday' } } })).toThrow(/ordersFrom/);
    const cutoff = parseCommand('settings.update', { actor: 'Priya', patch: { orders: { ordersFrom: '2026-12-01T00:00:00Z' } } }).request.patch;
    expect(applySettingsPatch(before, cutoff).orders.ordersFrom).toBe('2026-12-01T00:00:00Z');
  });

  it('changes the despatch settings too: carrier read from a user-defined field, watchdog hours', () => {
    const patch = parseCommand('settings.update', {
      actor: 'Priya',
      patch: { despatch: { carrierSource: { from: 'udf', name: 'Carrier' }, watchdogs: { confirmWithinHours: 1, deadlineWarningHours: 6 } } },
    }).request.patch;
    const after = applySettingsPatch(SettingsSchema.parse({}), patch);
    expect(after.despatch).toMatchObject({
      carrierSource: { from: 'udf', name: 'Carrier' },
      overlapMinutes: 2,
      watchdogs: { confirmWithinHours: 1, deadlineWarningHours: 6 },
    });
    expect(() =>
      parseCommand('settings.update', { actor: 'Priya', patch: { despatch: { watchdogs: { confirmWithinHours: 0, deadlineWarningHours: 4 } } } }),
    ).toThrow(/confirmWithinHours/);
  });

  it('keeps every change in the overlay a headless host persists, later changes winning', () => {
    const merged = mergeSettingsPatches(
      SettingsPatchSchema.parse({ dryRun: true, orders: { cardCode: 'C-JL2' }, flows: { stock: { cadenceSeconds: 90 } } }),
      SettingsPatchSchema.parse({ orders: { warehouseCode: '02' }, flows: { stock: { enabled: true } } }),
    );
    const settings = applySettingsPatch(SettingsSchema.parse({}), merged);
    expect(settings).toMatchObject({
      dryRun: true,
      orders: { cardCode: 'C-JL2', warehouseCode: '02' },
      flows: { stock: { cadenceSeconds: 90, enabled: true } },
    });
  });
});
