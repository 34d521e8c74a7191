import Decimal from 'decimal.js';
import type { SapConnection } from '../../../../shared/domain/settings';
import type { Clock, HttpClientFactory, Logger } from '../../ports';
import { DEFAULT_RETRY, type RetryPolicy } from '../../net/retry';
import type { BatchItem, BatchResult } from './batch';
import { SapClient } from './client';
import { SapNotFoundError } from './errors';
import { deliveryNotesApi, documentsApi, type DeliveryNotesApi, type DocumentsApi } from './documents';
import { checkHealth, type SapHealth } from './health';
import { readCompanySetup, userTable, type CompanySetup, type UserTable } from './company';
import type { SapWarehouse } from '../ports/sap';
import { Limiter } from './limiter';
import { LatencyRecorder } from './metrics';
import { keyPath, sapQuery, type SapQuery } from './query';
import type { EntitySetName } from './schema';
import { SapSession } from './session';
import { ensureStockQuery, openStockRead, readStock, type StockRead, type StockReadOptions, type StockRow } from './stock-query';
import { SapTransport } from './transport';

/** SAP's ItemCode (OITM) holds 50 characters. */
export const ITEM_CODE_LENGTH = 50;

export interface SapConnectorOptions {
  connection: SapConnection;
  /** Reads the password from the secrets port (`sap.password`) when a login needs it; never stored here. */
  password: () => Promise<string | undefined>;
  http: HttpClientFactory;
  clock: Clock;
  logger: Logger;
  isDryRun: () => boolean;
  retry?: RetryPolicy;
  random?: () => number;
}

export interface SapPatchOptions {
  /** The ETag read with the entity, sent as If-Match. */
  ifMatch?: string;
  /** Default true (SAP refused the write, nothing was written). False for a compare-and-set. */
  retryOnConflict?: boolean;
}

export interface SapItem {
  ItemCode: string;
  ItemName: string;
  ManageBatchNumbers: string;
  ManageSerialNumbers: string;
  Valid: string;
  Frozen: string;
  SalesItem?: string;
  SalesVATGroup: string | null;
  /** Stock per warehouse as SAP has it now (InStock and Committed are SAP's decimals). */
  ItemWarehouseInfoCollection?: { WarehouseCode: string; InStock: number; Committed: number }[];
}

export interface SapConnector {
  readonly version: 'v1' | 'v2';
  /** Logs in now (Settings' "test connection"); throws SapAuthError for a wrong password without retrying. */
  login(): Promise<void>;
  logout(): Promise<void>;
  orders: DocumentsApi;
  deliveryNotes: DeliveryNotesApi;
  invoices: DocumentsApi;
  creditNotes: DocumentsApi;
  returns: DocumentsApi;
  /** A/P Invoices (the marketplace's commission and fees, as a service document). */
  purchaseInvoices: DocumentsApi;
  /** Typed reads of any declared entity set, following next links. */
  list<T = Record<string, unknown>, S extends EntitySetName = EntitySetName>(query: SapQuery<S> | S, pageSize?: number): AsyncGenerator<T[]>;
  listAll<T = Record<string, unknown>, S extends EntitySetName = EntitySetName>(query: SapQuery<S> | S, pageSize?: number): Promise<T[]>;
  get<T = Record<string, unknown>>(set: EntitySetName, key: string | number): Promise<T>;
  items: { get(itemCode: string): Promise<SapItem> };
  warehouses(): Promise<{ WarehouseCode: string; WarehouseName: string; Inactive: string }[]>;
  shippingTypes(): Promise<{ Code: number; Name: string }[]>;
  /** Output VAT groups with their current rate (%). */
  outputVatGroups(): Promise<{ Code: string; Name: string; rate: Decimal }[]>;
  businessPartner(cardCode: string): Promise<Record<string, unknown>>;
  /**
   * The business partner with its ETag, for a compare-and-set PATCH; `etag` is undefined when the Service
   * Layer sends none (older than 10.0 FP 2102). Annotations (`@odata.etag`…) are not in `entity`.
   */
  businessPartnerWithEtag(cardCode: string): Promise<{ entity: Record<string, unknown>; etag?: string }>;
  /** The company's UDFs on a table (e.g. ORDR, or @JLM_LEASE for a user table), with their sizes, for preflight. */
  userFields(tableName: string): Promise<{ TableName: string; Name: string; Size: number | null }[]>;
  /** The company's currencies and the decimal places SAP keeps on prices and totals. */
  companySetup(): Promise<CompanySetup>;
  /** A user-defined table (no object), served by SAP as `U_<name>`. */
  userTable(name: string): UserTable;
  /** Creates a UDF (preflight, when an operator agrees); SAP needs a Service Layer restart before some clients see it. */
  createUserField(field: { TableName: string; Name: string; Description: string; Type?: string; Size?: number }): Promise<void>;
  /**
   * PATCH of declared fields or UDFs on a master record (e.g. the posting lease on the business partner).
   * With `ifMatch` it is a compare-and-set: a stale ETag is refused by SAP (412, -2039) and surfaces as
   * SapConcurrencyError; with `retryOnConflict: false` it is thrown at once instead of being sent again.
   */
  patch(set: EntitySetName, key: string | number, changes: Record<string, unknown>, options?: SapPatchOptions): Promise<void>;
  incomingPayments: {
    create(
      body: {
        /** A customer's payment (the default) or a supplier's refund. */
        DocType?: 'rCustomer' | 'rSupplier';
        CardCode: string;
        DocDate?: string;
        TransferAccount?: string;
        TransferSum: Decimal;
        TransferDate?: string;
        TransferReference?: string;
        CounterReference?: string;
        Remarks?: string;
        PaymentInvoices: { DocEntry: number; SumApplied: Decimal; InvoiceType: 'it_Invoice' | 'it_CredItnote' }[];
      },
      lookup?: () => Promise<Record<string, unknown> | undefined>,
    ): Promise<{ entity: Record<string, unknown>; recovered: boolean }>;
    cancel(docEntry: number): Promise<void>;
  };
  batch(items: BatchItem[]): Promise<BatchResult>;
  ensureStockQuery(): Promise<boolean>;
  readStock(pageSize?: number): AsyncGenerator<StockRow[]>;
  /**
   * Starts a stock read by the preferred path; where the SQL query cannot be used (no SQLQueries on this
   * Service Layer, or SAP refuses it to this user) the read goes through Items and says why, in SAP's words.
   */
  openStockRead(options: StockReadOptions): Promise<StockRead>;
  /** Every warehouse with what decides whether its stock counts by default. */
  stockWarehouses(): Promise<SapWarehouse[]>;
  health(): Promise<SapHealth>;
}

/** The SAP Business One Service Layer connector: one session, one client, one concurrency limit per connection. */
export function createSapConnector(options: SapConnectorOptions): SapConnector {
  const { connection, clock, logger: parentLogger } = options;
  const logger = parentLogger.child({ system: 'sap-b1' });
  const version = connection.serviceLayerVersion;
  const root = connection.baseUrl.replace(/\/+$/, '');
  const http = options.http.create({
    system: 'sap-b1',
    baseURL: `${root}/b1s/${version}/`,
    timeoutMs: connection.timeoutSeconds * 1000,
    pinnedCertificate: connection.pinnedCertificate,
    isDryRun: options.isDryRun,
  });
  const latency = new LatencyRecorder();
  const limiter = new Limiter(connection.maxConcurrency);
  const session = new SapSession({
    http,
    companyDb: connection.companyDb,
    userName: connection.userName,
    password: options.password,
    clock,
    logger,
    onLogin: (ms) => latency.record('Login', ms),
  });
  const transport = new SapTransport({ http, session, limiter, latency, clock, logger });
  const client = new SapClient({ transport, http, version, clock, logger, retry: options.retry ?? DEFAULT_RETRY, random: options.random });
  const path = (q: SapQuery<EntitySetName> | EntitySetName) => (typeof q === 'string' ? q : q.toString());

  return {
    version,
    async login() {
      await session.login();
    },
    logout: () => session.logout(),
    orders: documentsApi(client, 'Orders'),
    deliveryNotes: deliveryNotesApi(client),
    invoices: documentsApi(client, 'Invoices'),
    creditNotes: documentsApi(client, 'CreditNotes'),
    returns: documentsApi(client, 'Returns'),
    purchaseInvoices: documentsApi(client, 'PurchaseInvoices'),
    list: (q, pageSize) => client.pages(path(q as SapQuery<EntitySetName>), pageSize),
    listAll: (q, pageSize) => client.all(path(q as SapQuery<EntitySetName>), pageSize),
    get: (set, key) => client.read(keyPath(set, key)),
    items: {
      get: async (itemCode) => {
        // No item has a longer code, and a key that long would not even fit in the request SAP's web server takes.
        if (itemCode.length > ITEM_CODE_LENGTH) {
          const message = `No item can have the code '${itemCode.slice(0, 20)}…' (${itemCode.length} characters): SAP's item codes hold ${ITEM_CODE_LENGTH}`;
          throw new SapNotFoundError(message, { kind: 'not-found', sapMessage: message, method: 'GET', path: 'Items' });
        }
        return client.read(
          `${keyPath('Items', itemCode)}?$select=${['ItemCode', 'ItemName', 'ManageBatchNumbers', 'ManageSerialNumbers', 'Valid', 'Frozen', 'SalesItem', 'SalesVATGroup', 'ItemWarehouseInfoCollection'].join(',')}`,
        );
      },
    },
    warehouses: () => client.all(sapQuery('Warehouses').select('WarehouseCode', 'WarehouseName', 'Inactive').toString()),
    shippingTypes: () => client.all(sapQuery('ShippingTypes').select('Code', 'Name').toString()),
    async outputVatGroups() {
      const rows = await client.all<{ Code: string; Name: string; VatGroups_Lines?: { Rate: number }[] }>(
        sapQuery('VatGroups')
          .select('Code', 'Name', 'VatGroups_Lines')
          .filter((f) => f.eq('Category', 'bovcOutputTax'))
          .toString(),
      );
      return rows.map((r) => ({ Code: r.Code, Name: r.Name, rate: new Decimal(r.VatGroups_Lines?.at(-1)?.Rate ?? 0) }));
    },
    businessPartner: (cardCode) => client.read(keyPath('BusinessPartners', cardCode)),
    businessPartnerWithEtag: (cardCode) => client.readEntity(keyPath('BusinessPartners', cardCode)),
    userFields: async (tableName) =>
      (
        await client.all<{ TableName: string; Name: string; Size?: number | null }>(
          sapQuery('UserFieldsMD')
            .select('TableName', 'Name', 'Size')
            .filter((f) => f.eq('TableName', tableName))
            .toString(),
        )
      ).map((f) => ({ TableName: f.TableName, Name: f.Name, Size: typeof f.Size === 'number' ? f.Size : null })),
    companySetup: () => readCompanySetup(client),
    userTable: (name) => userTable(client, name),
    async createUserField(field) {
      await client.write({ method: 'POST', path: 'UserFieldsMD', data: { Type: 'db_Alpha', Size: 50, ...field } });
    },
    async patch(set, key, changes, options = {}) {
      const headers = options.ifMatch ? { 'If-Match': options.ifMatch } : undefined;
      await client.write({ method: 'PATCH', path: keyPath(set, key), data: changes, headers }, { retryOnConflict: options.retryOnConflict });
    },
    incomingPayments: {
      create: (body, lookup) =>
        client.createWithLookup(
          'IncomingPayments',
          {
            ...body,
            TransferSum: body.TransferSum.toNumber(),
            PaymentInvoices: body.PaymentInvoices.map((p) => ({ ...p, SumApplied: p.SumApplied.toNumber() })),
          },
          lookup ?? (async () => undefined),
        ),
      cancel: async (docEntry) => {
        await client.write({ method: 'POST', path: `${keyPath('IncomingPayments', docEntry)}/Cancel` });
      },
    },
    batch: (items) => client.batch(items),
    ensureStockQuery: () => ensureStockQuery(client),
    readStock: (pageSize) => readStock(client, pageSize),
    openStockRead: (o) => openStockRead(client, o),
    async stockWarehouses() {
      const rows = await client.all<{
        WarehouseCode: string;
        WarehouseName: string | null;
        Inactive?: string | null;
        Nettable?: string | null;
        DropShip?: string | null;
      }>(sapQuery('Warehouses').select('WarehouseCode', 'WarehouseName', 'Inactive', 'Nettable', 'DropShip').toString());
      // An absent flag is SAP's default: active, nettable, not drop-ship.
      return rows.map((w) => ({
        code: w.WarehouseCode,
        name: w.WarehouseName ?? w.WarehouseCode,
        active: w.Inactive !== 'tYES',
        nettable: w.Nettable !== 'tNO',
        dropShip: w.DropShip === 'tYES',
      }));
    },
    health: () => checkHealth({ http, baseUrl: root, clock, session, latency, inFlight: limiter.inFlight, maxConcurrency: limiter.max }),
  };
}

export * from './errors';
export { sapQuery, sapDate, sapTime, literal, keyPath, SapQuery } from './query';
export type { SapFilter, SapLiteral } from './query';
export type { BatchItem, BatchOperation, BatchResult, BatchPartResult } from './batch';
export type { DocumentDraft, DocumentLineDraft, SapDocument, SapDocumentLine, BatchAllocation } from './documents';
export type { StockRow, StockRead, StockReadOptions, StockReadPath, SqlQueryUnusable } from './stock-query';
export { STOCK_QUERY, sqlQueryUnusable } from './stock-query';
export type { SapHealth } from './health';
export type { CompanySetup, UserTable, UserTableRow } from './company';
export { SAP_ENTITY_SETS, SAP_TYPES, SAP_VERSIONED_PROPERTIES, SAP_ACTIONS, SAP_FUNCTIONS } from './schema';

export type { SapWarehouse } from '../ports/sap';
export { sapPort, LEASE_TABLE, type SapFieldNames } from './port';
