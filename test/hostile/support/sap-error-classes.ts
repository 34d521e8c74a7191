import { classifyResponse, notSapAnswer, type SapError } from '../../../electron/engine/connectors/sap-b1/errors';
import { sapError } from './sap-answers';
import type { Expected, Outcome } from './table';

/**
 * Every error class SAP's Service Layer documents (the reference's table), in both of its shapes, and the answers that
 * are not SAP's: what the SAP connector makes of each before any flow sees it.
 */
export interface ErrorClassCase {
  kind: string;
  status: number;
  body: unknown;
  method?: 'GET' | 'POST';
  /** The error class, and how the engine treats it: `retried` by itself, or `waits` for a person. */
  expect: { errorClass: string; handling: 'retried' | 'waits' | 'connection'; refusal?: string; outcomeUnknown?: boolean };
}

const both = (code: number, status: number, message: string, expect: ErrorClassCase['expect']): ErrorClassCase[] => [
  { kind: `${code} (HTTP ${status}), v1 shape: ${message}`, status, body: JSON.parse(sapError(code, message, 'v1')), expect },
  { kind: `${code} (HTTP ${status}), v2 shape`, status, body: JSON.parse(sapError(code, message, 'v2')), expect },
];

export const ERROR_CLASS_CASES: ErrorClassCase[] = [
  ...both(301, 401, 'Invalid session or session already timeout.', { errorClass: 'SapSessionError', handling: 'connection' }),
  ...both(-2039, 412, 'Another user or another operation modified data; to continue, open the window again (ODBC -2039)', {
    errorClass: 'SapConcurrencyError',
    handling: 'retried',
  }),
  ...both(-2028, 404, 'No matching records found (ODBC -2028)', { errorClass: 'SapNotFoundError', handling: 'waits', refusal: 'other' }),
  ...both(-10, 400, "1320000140 - Business partner code 'c1' already assigned to a business partner; enter a unique business partner code", {
    errorClass: 'SapBusinessError',
    handling: 'waits',
    refusal: 'other',
  }),
  ...both(-10, 400, "1320000140 - Invalid BP code 'C-JLM'", { errorClass: 'SapBusinessError', handling: 'waits', refusal: 'customer-unknown' }),
  ...both(-10, 400, 'Quantity falls into negative inventory', { errorClass: 'SapBusinessError', handling: 'waits', refusal: 'negative-stock' }),
  ...both(-2035, 400, 'This entry already exists in the following tables (ODBC -2035)', {
    errorClass: 'SapBusinessError',
    handling: 'waits',
    refusal: 'other',
  }),
  ...both(-1000, 400, "Property 'U_JLM_OrderId' of 'Document' is invalid", { errorClass: 'SapBusinessError', handling: 'waits', refusal: 'field-missing' }),
  ...both(-5006, 400, 'The requested action is not supported for this object.', { errorClass: 'SapBusinessError', handling: 'waits', refusal: 'other' }),
  ...both(-4014, 400, 'Cannot add row without complete selection of batch/serial numbers', {
    errorClass: 'SapBatchSelectionError',
    handling: 'waits',
    refusal: 'batch-serial',
  }),
  ...both(-1116, 400, 'Could not commit transaction: Error -1 detected during transaction', { errorClass: 'SapConcurrencyError', handling: 'retried' }),
  ...both(244, 400, 'Content ID should be specified in each change set request.', { errorClass: 'SapBusinessError', handling: 'waits', refusal: 'other' }),
  ...both(804, 400, 'No permission to access this view', { errorClass: 'SapBusinessError', handling: 'waits', refusal: 'other' }),
  ...[701, 702, 703, 704, -6006].flatMap((code) =>
    both(code, 400, `SQL query refused (${code})`, { errorClass: 'SapBusinessError', handling: 'waits', refusal: 'other' }),
  ),
  {
    kind: '500 with SAP’s error body, on a write',
    status: 500,
    body: JSON.parse(sapError(-1, 'Internal error')),
    method: 'POST',
    expect: { errorClass: 'SapTransientError', handling: 'retried', outcomeUnknown: true },
  },
  {
    kind: 'HTML 502 page from a proxy, on a read',
    status: 502,
    body: `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>${'<p>The proxy server received an invalid response.</p>'.repeat(8)}</body></html>`,
    expect: { errorClass: 'SapTransientError', handling: 'connection' },
  },
  {
    kind: 'HTML 404 page from a proxy (not SAP’s -2028)',
    status: 404,
    body: '<html><head><title>404 Not Found</title></head><body>nginx</body></html>',
    expect: { errorClass: 'SapTransientError', handling: 'connection' },
  },
  {
    kind: 'HTML page with 200 OK, on a write',
    status: 200,
    body: '<html><head><title>Sign in to continue</title></head></html>',
    method: 'POST',
    expect: { errorClass: 'SapTransientError', handling: 'connection', outcomeUnknown: true },
  },
  {
    kind: 'JSON cut short with 200 OK, on a write',
    status: 201,
    body: '{"odata.metadata":"$metadata#Orders/@Element","DocEntry":41,"DocNum":41,"CardCode":"C-JL',
    method: 'POST',
    expect: { errorClass: 'SapTransientError', handling: 'connection', outcomeUnknown: true },
  },
  {
    kind: 'an empty 200 answer to a read',
    status: 200,
    body: '',
    expect: { errorClass: 'SapTransientError', handling: 'connection' },
  },
  {
    kind: '200 OK with SAP’s error inside',
    status: 200,
    body: JSON.parse(sapError(-10, '1320000126 - Document total is not the same as the sum of the lines')),
    method: 'POST',
    expect: { errorClass: 'SapBusinessError', handling: 'waits', refusal: 'other' },
  },
];

/** What the connector makes of an answer: SAP's refusal by its code, or, for a 2xx, whether it is SAP's answer at all. */
export function classify(c: ErrorClassCase): SapError | null {
  const method = c.method ?? 'GET';
  if (c.status >= 400) return classifyResponse(c.status, c.body, method, 'Orders');
  const foreign = notSapAnswer(c.status, c.body, method, 'Orders');
  if (foreign) return foreign;
  return (c.body as { error?: unknown } | null)?.error ? classifyResponse(c.status, c.body, method, 'Orders') : null;
}

const handlingOf = (e: SapError) => (e.unreachable ? 'connection' : e.retryable ? 'retried' : 'waits');
const HANDLING_WORDS = {
  connection: 'a fault of the connection: retried, never counted against the record',
  retried: 'retried by itself',
  waits: 'waits for a person',
} as const;

export function runErrorClassCases(cases: readonly ErrorClassCase[] = ERROR_CLASS_CASES): Outcome[] {
  return cases.map((c) => {
    const e = classify(c);
    const handling = e ? handlingOf(e) : 'accepted';
    const result = e
      ? `${HANDLING_WORDS[handlingOf(e)]}${e.refusal ? `; read as '${e.refusal}'` : ''}${e.outcomeUnknown ? '; a write whose outcome is unknown: looked up before it is ever sent again' : ''}`
      : 'read as SAP’s answer';
    return {
      side: 'SAP error class (connector)',
      kind: c.kind,
      exceptions: e ? [{ type: e.name, severity: handling, state: 'open', summary: e.message, rawError: e.sapMessage ?? null }] : [],
      result,
      othersWentOn: true,
    };
  });
}

/** The case's expectation as the table's: the error class, with its handling and refusal in the result. */
export function expectedOf(c: ErrorClassCase): Expected {
  const words = HANDLING_WORDS[c.expect.handling].replace(/[()]/g, '\\$&');
  const refusal = c.expect.refusal ? `; read as '${c.expect.refusal}'` : '';
  const unknown = c.expect.outcomeUnknown ? '; a write whose outcome is unknown' : '';
  return { exception: c.expect.errorClass, result: new RegExp(`^${words}${refusal}${unknown}${c.expect.outcomeUnknown ? '' : '$'}`) };
}
