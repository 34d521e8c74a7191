import type { CompanySetup } from '../ports/sap';
import type { SapClient } from './client';
import { isSapError } from './errors';
import { keyPath, literal, sapQuery } from './query';

/** What the company is set up with: its currencies and the decimal places SAP keeps on prices and totals. */
export type { CompanySetup } from '../ports/sap';

/** Reads the company's setup: AdminInfo (a function import: POST in v1, GET in v2) and its currencies. */
export async function readCompanySetup(client: SapClient): Promise<CompanySetup> {
  const admin = await client.invoke<Record<string, unknown>>('CompanyService_GetAdminInfo');
  const currencies = await client.all<{ Code: string }>(sapQuery('Currencies').select('Code').toString());
  const int = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isInteger(v) ? v : fallback);
  return {
    localCurrency: String(admin.LocalCurrency ?? ''),
    systemCurrency: String(admin.SystemCurrency ?? ''),
    priceDecimals: int(admin.PriceAccuracy, 2),
    totalsDecimals: int(admin.TotalsAccuracy, 2),
    currencies: currencies.map((c) => c.Code),
  };
}

/** A row of a user-defined table: `Code` is its unique key; its own fields are `U_…`. */
export type UserTableRow = { Code: string; Name?: string } & Record<`U_${string}`, unknown>;

/**
 * A user-defined table (no object), which SAP serves as the entity set `U_<name>`. Its `Code` is unique, so
 * inserting a row is an atomic claim even on a Service Layer without ETags.
 */
export interface UserTable {
  /** Whether the company has the table (UserTablesMD). */
  exists(): Promise<boolean>;
  /** Creates the table (the SAP company check, when an operator agreed). */
  create(description: string): Promise<void>;
  /** The rows with the highest codes first (codes are compared as text: pad numbers). */
  latest(count: number): Promise<UserTableRow[]>;
  get(code: string): Promise<UserTableRow | undefined>;
  /** Inserts a row; `false` when a row with that code already exists (SAP's -2035). A lost answer is settled by reading the row. */
  insert(row: UserTableRow): Promise<{ inserted: boolean; row: UserTableRow }>;
  update(code: string, changes: Record<`U_${string}`, unknown>): Promise<void>;
  remove(code: string): Promise<void>;
}

const DUPLICATE = '-2035';

export function userTable(client: SapClient, name: string): UserTable {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,18}$/.test(name)) throw new Error(`Not a user-defined table name: ${name}`);
  const set = `U_${name}`;
  const rowPath = (code: string) => `${set}(${encodeURIComponent(literal(code))})`;
  const get = async (code: string): Promise<UserTableRow | undefined> => {
    try {
      return await client.read<UserTableRow>(rowPath(code));
    } catch (e) {
      if (isSapError(e) && e.kind === 'not-found') return undefined;
      throw e;
    }
  };
  return {
    async exists() {
      try {
        await client.read(`${keyPath('UserTablesMD', name)}?$select=TableName`);
        return true;
      } catch (e) {
        if (isSapError(e) && e.kind === 'not-found') return false;
        throw e;
      }
    },
    async create(description) {
      await client.write({
        method: 'POST',
        path: 'UserTablesMD',
        data: { TableName: name, TableDescription: description.slice(0, 30), TableType: 'bott_NoObject' },
      });
    },
    async latest(count) {
      const page = await client.read<{ value?: UserTableRow[] }>(`${set}?$orderby=Code%20desc&$top=${count}`);
      return page.value ?? [];
    },
    get,
    async insert(row) {
      try {
        // The unique Code makes a second copy impossible, so after a lost answer it is safe to send again.
        const { entity } = await client.createWithLookup<UserTableRow>(set, { Name: row.Code, ...row }, () => get(row.Code), { resendWhenNotFound: true });
        return { inserted: entity.Code === row.Code && sameRow(entity, row), row: entity };
      } catch (e) {
        if (isSapError(e) && e.code === DUPLICATE) return { inserted: false, row: (await get(row.Code)) ?? row };
        throw e;
      }
    },
    async update(code, changes) {
      await client.write({ method: 'PATCH', path: rowPath(code), data: changes });
    },
    async remove(code) {
      try {
        await client.write({ method: 'DELETE', path: rowPath(code) });
      } catch (e) {
        if (!(isSapError(e) && e.kind === 'not-found')) throw e;
      }
    },
  };
}

/** A row found after a lost answer is ours only if it carries what we sent. */
function sameRow(found: UserTableRow, sent: UserTableRow): boolean {
  return Object.entries(sent).every(([k, v]) => k === 'Name' || found[k as keyof UserTableRow] === v);
}
