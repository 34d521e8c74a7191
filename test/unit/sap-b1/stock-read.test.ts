import { describe, expect, it } from 'vitest';
import { classifyNetworkError, classifyResponse, sqlQueryUnusable } from '../../../electron/engine/connectors/sap-b1';

const v1 = (code: number, value: string) => ({ error: { code, message: { lang: 'en-us', value } } });
const v2 = (code: string, message: string) => ({ error: { code, message } });

describe('SAP connector: when the stock query cannot be used', () => {
  it('reads SQLQueries’ own refusals (701–704, -6006, 804) in both protocol versions as "not permitted"', () => {
    for (const code of ['701', '702', '703', '704', '-6006', '804']) {
      expect(sqlQueryUnusable(classifyResponse(400, v2(code, 'x'), 'GET', "SQLQueries('q')/List"))).toBe('not-permitted');
      expect(sqlQueryUnusable(classifyResponse(400, v1(Number(code), 'x'), 'POST', 'SQLQueries'))).toBe('not-permitted');
    }
    expect(sqlQueryUnusable(classifyResponse(403, v2('-6006', 'not permitted'), 'GET', "SQLQueries('q')"))).toBe('not-permitted');
    expect(sqlQueryUnusable(classifyResponse(403, '<html>Forbidden</html>', 'GET', "SQLQueries('q')"))).toBe('not-permitted');
  });

  it('reads an unknown resource (a Service Layer before SQLQueries) as "absent"', () => {
    expect(sqlQueryUnusable(classifyResponse(400, v1(-1002, 'Unrecognized resource path'), 'GET', "SQLQueries('q')"))).toBe('absent');
    expect(sqlQueryUnusable(classifyResponse(400, v2('200', 'Invalid entityset'), 'GET', "SQLQueries('q')"))).toBe('absent');
    expect(sqlQueryUnusable(classifyResponse(400, v2('-1000', "Resource not found for the segment 'SQLQueries'"), 'GET', "SQLQueries('q')"))).toBe('absent');
    // Creating the query answered 404: nothing at that address takes SQL queries.
    expect(sqlQueryUnusable(classifyResponse(404, '', 'POST', 'SQLQueries'))).toBe('absent');
  });

  it('leaves every other failure to fail the read: a query not created yet, a timeout, a 5xx, a session, a bad property', () => {
    expect(sqlQueryUnusable(classifyResponse(404, v2('-2028', 'No matching records found (ODBC -2028)'), 'GET', "SQLQueries('q')"))).toBeNull();
    expect(sqlQueryUnusable(classifyResponse(503, '<html>Service Unavailable</html>', 'GET', "SQLQueries('q')/List"))).toBeNull();
    expect(sqlQueryUnusable(classifyResponse(401, v1(301, 'Invalid session or session already timeout.'), 'GET', "SQLQueries('q')"))).toBeNull();
    expect(sqlQueryUnusable(classifyResponse(400, v2('-1000', "Property 'X' of 'SQLQuery' is invalid"), 'GET', "SQLQueries('q')"))).toBeNull();
    expect(
      sqlQueryUnusable(classifyNetworkError(Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ECONNABORTED' }), 'GET', "SQLQueries('q')")),
    ).toBeNull();
    expect(sqlQueryUnusable(new Error('not from SAP'))).toBeNull();
  });
});
