import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  classifyNetworkError,
  classifyResponse,
  literal,
  sapDate,
  sapQuery,
  sapTime,
  SapBatchSelectionError,
  SapConcurrencyError,
  SapNotFoundError,
  SapSessionError,
  SapTransientError,
  SapBusinessError,
  SapTlsError,
} from '../../../electron/engine/connectors/sap-b1';
import { normaliseNextLink } from '../../../electron/engine/connectors/sap-b1/paging';
import { parseFilter } from '../../../emulators/sap-b1/odata-filter';
import { EmulatorState } from '../../../emulators/sap-b1/state';

describe('SAP query builder', () => {
  it('doubles single quotes in string literals and formats dates, times and decimals as SAP parses them', () => {
    expect(literal("O'Brien's")).toBe("'O''Brien''s'");
    expect(literal(sapDate('2026-11-26'))).toBe("'2026-11-26'");
    expect(literal(sapDate(new Date(Date.UTC(2026, 0, 2, 23, 59))))).toBe("'2026-01-02'");
    expect(literal(sapTime('09:30:15'))).toBe("'09:30'");
    expect(literal(new Decimal('12.50'))).toBe('12.5');
    expect(() => literal(Number.NaN)).toThrow();
    expect(() => sapDate('26/11/2026')).toThrow();
  });

  it('builds $select, $filter, $orderby and $top that the Service Layer grammar accepts and evaluates as meant', () => {
    const q = sapQuery('Orders')
      .select('DocEntry', 'NumAtCard')
      .filter((f) => f.and(f.eq('NumAtCard', "A'1"), f.or(f.ge('UpdateDate', sapDate('2026-11-01')), f.not(f.eq('DocumentStatus', 'bost_Close')))))
      .orderBy('DocEntry', 'desc')
      .top(10)
      .toString();
    expect(q).toBe(
      "Orders?$select=DocEntry,NumAtCard&$filter=(NumAtCard%20eq%20'A''1')%20and%20((UpdateDate%20ge%20'2026-11-01')%20or%20(not%20(DocumentStatus%20eq%20'bost_Close')))&$orderby=DocEntry%20desc&$top=10",
    );
    const expr = decodeURIComponent(/\$filter=([^&]*)/.exec(q)![1]!);
    const state = new EmulatorState('X', Date.now);
    const match = parseFilter(expr, { typeName: 'Document', properties: state.properties('v2', 'Document') });
    expect(match({ NumAtCard: "A'1", UpdateDate: '2026-11-02', DocumentStatus: 'bost_Close' })).toBe(true);
    expect(match({ NumAtCard: "A'1", UpdateDate: '2026-10-31', DocumentStatus: 'bost_Close' })).toBe(false);
    expect(match({ NumAtCard: 'A1', UpdateDate: '2026-11-02', DocumentStatus: 'bost_Open' })).toBe(false);
  });

  it('turns v1 absolute, v2 relative and proxied next links into service paths', () => {
    expect(normaliseNextLink('/b1s/v1/Orders?$skip=20', 'v1')).toBe('Orders?$skip=20');
    expect(normaliseNextLink('Orders?$skip=20', 'v2')).toBe('Orders?$skip=20');
    expect(normaliseNextLink('https://sap.lan:50000/b1s/v2/Items?$skip=40', 'v2')).toBe('Items?$skip=40');
  });
});

describe('SAP error classification', () => {
  const v1 = (code: number, value: string) => ({ error: { code, message: { lang: 'en-us', value } } });
  const v2 = (code: string, message: string) => ({ error: { code, message } });

  it('reads both error shapes and keeps SAP’s message verbatim', () => {
    const a = classifyResponse(400, v1(-4014, 'Cannot add row without complete selection of batch/serial numbers'), 'POST', 'DeliveryNotes');
    const b = classifyResponse(400, v2('-4014', 'Cannot add row without complete selection of batch/serial numbers'), 'POST', 'DeliveryNotes');
    for (const e of [a, b]) {
      expect(e).toBeInstanceOf(SapBatchSelectionError);
      expect(e.code).toBe('-4014');
      expect(e.sapMessage).toBe('Cannot add row without complete selection of batch/serial numbers');
      expect(e.retryable).toBe(false);
    }
  });

  it('sorts codes into the kinds flows act on', () => {
    expect(classifyResponse(401, v1(301, 'Invalid session or session already timeout.'), 'GET', 'Orders')).toBeInstanceOf(SapSessionError);
    expect(classifyResponse(412, v2('-2039', 'Another user…'), 'PATCH', 'Orders(1)')).toBeInstanceOf(SapConcurrencyError);
    expect(classifyResponse(400, v2('-1116', 'Could not commit transaction'), 'POST', '$batch').retryable).toBe(true);
    expect(classifyResponse(404, v2('-2028', 'No matching records found (ODBC -2028)'), 'GET', 'Orders(9)')).toBeInstanceOf(SapNotFoundError);
    for (const code of ['-10', '-1000', '-5006']) expect(classifyResponse(400, v2(code, 'x'), 'POST', 'Orders')).toBeInstanceOf(SapBusinessError);
    const lb = classifyResponse(502, '<html>Bad gateway</html>', 'POST', 'Orders');
    expect(lb).toBeInstanceOf(SapTransientError);
    expect(lb.outcomeUnknown).toBe(true);
    expect(classifyResponse(503, '', 'GET', 'Items').outcomeUnknown).toBe(false);
  });

  it('classifies network failures without carrying the request (which may hold the password)', () => {
    const timeout = classifyNetworkError(
      { code: 'ECONNABORTED', message: 'timeout of 5000ms exceeded', config: { data: '{"Password":"secret"}' } },
      'POST',
      'Orders',
    );
    expect(timeout).toBeInstanceOf(SapTransientError);
    expect(timeout.outcomeUnknown).toBe(true);
    expect(JSON.stringify({ ...timeout, message: timeout.message })).not.toContain('secret');
    expect(classifyNetworkError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'POST', 'Orders').outcomeUnknown).toBe(false);
    expect(classifyNetworkError({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' }, 'POST', 'Login')).toBeInstanceOf(SapTlsError);
  });
});
