import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyResponse, notSapAnswer, readSapError, SapError } from '../../electron/engine/connectors/sap-b1/errors';
import { RUNS } from './arbitraries';

const KINDS = ['auth', 'session', 'business', 'not-found', 'concurrency', 'batch-selection', 'transient', 'tls'];
const body = fc.oneof(
  fc.jsonValue(),
  fc.string(),
  fc.constantFrom('<html><head><title>502</title></head></html>', '{"error":', '', '<!DOCTYPE html><p>address state zip</p>'),
  fc.record({
    error: fc.record(
      {
        code: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
        message: fc.oneof(fc.string(), fc.record({ lang: fc.constant('en-us'), value: fc.string() }), fc.jsonValue()),
      },
      { requiredKeys: [] },
    ),
  }),
);

describe('what the SAP connector makes of an answer', () => {
  it('any refusal is classed, never thrown: an error of a known kind, with SAP’s words when SAP said something', () => {
    fc.assert(
      fc.property(fc.integer({ min: 400, max: 599 }), body, fc.constantFrom('GET', 'POST', 'PATCH'), (status, data, method) => {
        const e = classifyResponse(status, data, method, 'Orders');
        expect(e).toBeInstanceOf(SapError);
        expect(KINDS).toContain(e.kind);
        const { code, message } = readSapError(data);
        if (message !== undefined) expect(e.sapMessage).toBe(message);
        // The kind of refusal comes only from SAP's own error, never from a page's words.
        if (code === undefined && e.refusal !== undefined) expect(['other', 'batch-serial']).toContain(e.refusal);
        // A write SAP may have done is never retried blind.
        if (e.kind === 'transient' && method !== 'GET' && status >= 500) expect(e.outcomeUnknown).toBe(true);
      }),
      RUNS,
    );
  });

  it('a 2xx is SAP’s answer only if it reads as one: text is never taken for a document, and a write’s outcome is then unknown', () => {
    fc.assert(
      fc.property(fc.integer({ min: 200, max: 299 }), body, fc.constantFrom('GET', 'POST'), (status, data, method) => {
        const e = notSapAnswer(status, data, method, 'Orders');
        if (typeof data === 'string' && data.trim() !== '') {
          expect(e?.kind).toBe('transient');
          expect(e!.outcomeUnknown).toBe(method !== 'GET');
          expect(e!.unreachable).toBe(true);
        } else if (typeof data === 'object' && data !== null) expect(e).toBeNull();
      }),
      RUNS,
    );
  });

  it('both error shapes read the same: v1 {code: number, message: {value}} and v2 {code: string, message: string}', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000, max: 10_000 }), fc.string(), (code, text) => {
        const v1 = readSapError({ error: { code, message: { lang: 'en-us', value: text } } });
        const v2 = readSapError({ error: { code: String(code), message: text } });
        expect(v1).toEqual(v2);
        expect(v1).toEqual({ code: String(code), message: text });
      }),
      RUNS,
    );
  });
});
