/** SAP's error codes and texts, byte for byte where known (../shared/reference/sap-b1-service-layer.md §2). */
export type SlVersion = 'v1' | 'v2';

export class SlError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const SESSION_TIMEOUT_TEXT = 'Invalid session or session already timeout.';
export const CONFLICT_TEXT = 'Another user or another operation modified data; to continue, open the window again (ODBC -2039)';
export const NOT_FOUND_TEXT = 'No matching records found (ODBC -2028)';
export const INCOMPLETE_BATCH_TEXT = 'Cannot add row without complete selection of batch/serial numbers';
export const NOT_SUPPORTED_TEXT = 'The requested action is not supported for this object.';

export const sessionExpired = () => new SlError(401, 301, SESSION_TIMEOUT_TEXT);
/** Not confirmed by SAP's guide; Huawei's Service Layer docs show this code and text for a failed login. */
export const loginFailed = () => new SlError(401, 100000027, 'Login failed');
export const notFound = () => new SlError(404, -2028, NOT_FOUND_TEXT);
export const conflict = (withIfMatch: boolean) => new SlError(withIfMatch ? 412 : 400, -2039, CONFLICT_TEXT);
export const incompleteBatch = () => new SlError(400, -4014, INCOMPLETE_BATCH_TEXT);
export const notSupported = () => new SlError(400, -5006, NOT_SUPPORTED_TEXT);
export const invalidProperty = (prop: string, type: string) => new SlError(400, -1000, `Property '${prop}' of '${type}' is invalid`);
export const badRequest = (message: string) => new SlError(400, -1000, message);
export const business = (message: string) => new SlError(400, -10, message);
/** A duplicate key (a user table row's Code, a table name), with the table as SAP names it (`@JLM_LEASE`, `OUTB`). */
export const alreadyExists = (table: string) => new SlError(400, -2035, `This entry already exists in the following tables (${table}) (ODBC -2035)`);

/** v1 (OData v3): numeric code, message object; v2 (OData v4): string code, plain-string message. */
export function errorBody(version: SlVersion, code: number, message: string): unknown {
  return version === 'v1' ? { error: { code, message: { lang: 'en-us', value: message } } } : { error: { code: String(code), message } };
}

export const UNKNOWN_RESOURCE_TEXT = 'Unrecognized resource path';
export const SQL_NOT_PERMITTED_TEXT = 'Creating or running SQL queries is not permitted for the current user';
/**
 * A resource this Service Layer does not have, e.g. `SQLQueries` before 10.0 FP 2011. Not in SAP's guide: a public
 * Service Layer client records HTTP 400 with code -1002 (sometimes 200) and this text from live systems.
 */
export const unknownResource = () => new SlError(400, -1002, UNKNOWN_RESOURCE_TEXT);
/**
 * SQLQueries refused to this user or company (guide §4: -6006 "not permitted"). The guide gives no HTTP status or
 * text: 403 is what a public client records with -6006 for another refused operation; the text is the emulator's own.
 */
export const sqlQueryNotPermitted = () => new SlError(403, -6006, SQL_NOT_PERMITTED_TEXT);
