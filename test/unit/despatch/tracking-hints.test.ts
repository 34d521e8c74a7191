import { describe, expect, it } from 'vitest';
import { checkTrackingNumber, trackingHint } from '../../../shared/domain/tracking-hints';
import { stampMinus, updateStamp } from '../../../electron/engine/flows/despatch';
import type { SapDocument } from '../../../electron/engine/connectors/sap-b1';
import { salesDocumentOf } from '../../../electron/engine/connectors/sap-b1/port';

describe('tracking number hints', () => {
  it('recognises carriers by code, standard code or label', () => {
    expect(trackingHint('ROYAL_MAIL')?.example).toBe('AB123456789GB');
    expect(trackingHint(null, 'Royal Mail')?.carrier).toBe('Royal Mail');
    expect(trackingHint('PARCELFORCE', 'Parcelforce Worldwide')?.carrier).toBe('Parcelforce');
    expect(trackingHint('DPD')?.example).toBe('15501234567890');
    expect(trackingHint('EVRI')?.carrier).toBe('Evri');
    expect(trackingHint('XYZ', 'Somebody Couriers')).toBeNull();
  });

  it.each([
    ['ROYAL_MAIL', 'AB123456789GB', 'ok'],
    ['ROYAL_MAIL', 'ab 123 456 789 gb', 'ok'],
    ['ROYAL_MAIL', 'AB123456789', 'unusual'],
    ['DPD', '15501234567890', 'ok'],
    ['DPD', '1550123', 'unusual'],
    ['EVRI', 'H01ABC1234567890', 'ok'],
    ['PARCELFORCE', 'PB1234567', 'ok'],
    ['UNKNOWN', 'anything', 'unknown'],
  ] as const)('%s %s is %s', (code, number, verdict) => {
    expect(checkTrackingNumber(number, trackingHint(code))).toBe(verdict);
  });
});

describe('the Delivery Note watermark', () => {
  const FIELDS = { orderId: 'JLM_OrderId', orderLineId: 'JLM_LineId', returnId: 'JLM_ReturnId', refundId: 'JLM_RefundId', carrier: null };
  const doc = (raw: Record<string, unknown>) =>
    salesDocumentOf({ raw, UpdateDate: raw.UpdateDate ?? null, DocumentLines: [] } as unknown as SapDocument, FIELDS);
  it('joins SAP’s update day and time into one sortable stamp, minutes-only times included', () => {
    expect(updateStamp(doc({ UpdateDate: '2026-11-26T00:00:00Z', UpdateTime: '09:14:05' }))).toBe('2026-11-26T09:14:05');
    expect(updateStamp(doc({ UpdateDate: '2026-11-26', UpdateTime: '09:14' }))).toBe('2026-11-26T09:14:00');
    expect(updateStamp(doc({ UpdateDate: '2026-11-26' }))).toBe('2026-11-26T00:00:00');
  });
  it('reaches back the overlap across midnight', () => {
    expect(stampMinus('2026-11-26T00:01:00', 2)).toBe('2026-11-25T23:59:00');
  });
});
