import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import OpenAPIBackend from 'openapi-backend';
import type { RecordedCall } from '../../../emulators/john-lewis';

const REFERENCE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/reference/mirakl-openapi');
/** The lenient Mirakl seller subset, from the shared reference folder beside the project. */
export const SPEC_PATH = resolve(REFERENCE, 'seller-subset.lenient.openapi.json');
/** The official subset as Mirakl publishes it: every field it marks required is required. */
export const STRICT_SPEC_PATH = resolve(REFERENCE, 'seller-subset.openapi.json');

/**
 * Validates a value against one component schema of the strict (official) subset, e.g. `RT11_Response_200` or
 * `OR11_Response_200_Orders_OrderLines_Refunds`: for the shapes the emulator builds in full, not only leniently.
 */
export function strictSchemas(): (schema: string, value: unknown) => string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const format of ['with decimals', 'int32', 'int64']) ajv.addFormat(format, true);
  ajv.addSchema(JSON.parse(readFileSync(STRICT_SPEC_PATH, 'utf8')), 'strict');
  return (schema, value) => {
    const validate = ajv.getSchema(`strict#/components/schemas/${schema}`);
    if (!validate) throw new Error(`No schema ${schema} in the strict subset`);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${schema}${e.instancePath} ${e.message ?? ''}`);
  };
}

/** openapi-backend routes and parses; Ajv's draft 2020-12 validator reads the OpenAPI 3.1 schemas. */
export async function loadSpec(): Promise<OpenAPIBackend> {
  const api = new OpenAPIBackend({
    definition: JSON.parse(readFileSync(SPEC_PATH, 'utf8')),
    strict: false,
    // quick: skips openapi-backend's own document check, which only knows OpenAPI 3.0 and would warn on 3.1.
    quick: true,
    customizeAjv: (_ajv, opts) => {
      const ajv = new Ajv2020({ ...opts, strict: false, allErrors: true });
      addFormats(ajv);
      // The spec's own money format name.
      ajv.addFormat('with decimals', true);
      ajv.addFormat('int32', true);
      ajv.addFormat('int64', true);
      return ajv as never;
    },
  });
  await api.init();
  return api;
}

/** The operation id the spec gives a recorded request (null when no operation matches). */
export function operationOf(api: OpenAPIBackend, call: RecordedCall): string | null {
  return api.router.matchOperation({ method: call.method, path: call.path, headers: {} })?.operationId ?? null;
}

/**
 * Paging parameters an operation's own description documents but its parameter list (even in the lenient subset)
 * leaves out: SBC11 "uses seek pagination. The maximum allowed value for parameter limit is 1000".
 */
const DESCRIBED_PAGING: Record<string, { maxLimit: number }> = { SBC11: { maxLimit: 1000 } };

export function validateCall(api: OpenAPIBackend, call: RecordedCall): string[] {
  const isMultipart = (call.contentType ?? '').startsWith('multipart/form-data');
  const problems: string[] = [];
  let query = call.query;
  const paging = call.operation ? DESCRIBED_PAGING[call.operation] : undefined;
  if (paging) {
    const params = new URLSearchParams(call.query);
    const limit = params.get('limit');
    if (limit !== null && !(Number.isInteger(Number(limit)) && Number(limit) >= 1 && Number(limit) <= paging.maxLimit))
      problems.push(`/query/limit must be from 1 to ${paging.maxLimit}`);
    params.delete('limit');
    params.delete('page_token');
    query = params.toString();
  }
  const request = {
    method: call.method,
    path: call.path,
    query,
    headers: {
      ...(call.contentType ? { 'content-type': isMultipart ? 'multipart/form-data' : call.contentType } : {}),
      ...(call.authorization ? { authorization: call.authorization } : {}),
    },
    body: call.body ? JSON.parse(call.body) : undefined,
  };
  const result = api.validateRequest(request);
  return [...problems, ...(result.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`)];
}
