/**
 * Every entity set and property the connector reads or writes, in one place. The query builder and the
 * payload types only accept these names, and test/unit/sap-b1/metadata-names.test.ts checks each one against
 * SAP's real $metadata, so a DB column name (`DocStatus`, `OnHand`) can never reach SAP and fail with -1000.
 * User-defined fields (`U_…`) are allowed anywhere: they belong to the customer's company, not to SAP.
 */
export const SAP_ENTITY_SETS = {
  Orders: 'Document',
  DeliveryNotes: 'Document',
  Returns: 'Document',
  CreditNotes: 'Document',
  Invoices: 'Document',
  PurchaseInvoices: 'Document',
  Items: 'Item',
  Warehouses: 'Warehouse',
  BusinessPartners: 'BusinessPartner',
  ShippingTypes: 'ShippingType',
  VatGroups: 'VatGroup',
  UserFieldsMD: 'UserFieldMD',
  IncomingPayments: 'Payment',
  SQLQueries: 'SQLQuery',
  UserTablesMD: 'UserTablesMD',
  Currencies: 'Currency',
} as const;

export const SAP_TYPES = {
  Document: [
    'DocEntry',
    'DocNum',
    'DocType',
    'DocDate',
    'DocDueDate',
    'TaxDate',
    'CardCode',
    'CardName',
    'NumAtCard',
    'Comments',
    'DocCurrency',
    'DocTotal',
    'VatSum',
    'PaidToDate',
    'DocumentStatus',
    'Cancelled',
    'CancelStatus',
    'TransportationCode',
    'TrackingNumber',
    'CreationDate',
    'UpdateDate',
    'UpdateTime',
    'AddressExtension',
    'DocumentLines',
    'Rounding',
    'RoundingDiffAmount',
    'DocumentAdditionalExpenses',
  ],
  DocumentAdditionalExpense: ['ExpenseCode', 'LineTotal', 'LineGross', 'TaxSum', 'VatGroup'],
  DocumentLine: [
    'LineNum',
    'ItemCode',
    'ItemDescription',
    'Quantity',
    'Price',
    'PriceAfterVAT',
    'UnitPrice',
    'DiscountPercent',
    'LineTotal',
    'TaxTotal',
    'VatGroup',
    'WarehouseCode',
    'BaseType',
    'BaseEntry',
    'BaseLine',
    'LineStatus',
    'RemainingOpenQuantity',
    'ShipDate',
    'ReturnReason',
    'WithoutInventoryMovement',
    'BatchNumbers',
    'SerialNumbers',
    'AccountCode',
  ],
  /** The batch number's own name differs by version: see SAP_VERSIONED_PROPERTIES. */
  BatchNumber: ['Quantity', 'BaseLineNumber'],
  SerialNumber: ['InternalSerialNumber', 'ManufacturerSerialNumber', 'Quantity', 'BaseLineNumber'],
  AddressExtension: [
    'ShipToStreet',
    'ShipToStreetNo',
    'ShipToBuilding',
    'ShipToCity',
    'ShipToZipCode',
    'ShipToCounty',
    'ShipToCountry',
    'ShipToAddress2',
    'ShipToAddress3',
    'BillToStreet',
    'BillToBuilding',
    'BillToCity',
    'BillToZipCode',
    'BillToCounty',
    'BillToCountry',
    'BillToAddress2',
    'BillToAddress3',
  ],
  Item: [
    'ItemCode',
    'ItemName',
    'BarCode',
    'ManageBatchNumbers',
    'ManageSerialNumbers',
    'Valid',
    'Frozen',
    'InventoryItem',
    'SalesItem',
    'SalesVATGroup',
    'UpdateDate',
    'UpdateTime',
    'ItemWarehouseInfoCollection',
  ],
  ItemWarehouseInfo: ['WarehouseCode', 'InStock', 'Committed', 'Ordered'],
  Warehouse: ['WarehouseCode', 'WarehouseName', 'Inactive', 'Nettable', 'DropShip'],
  BusinessPartner: ['CardCode', 'CardName', 'CardType', 'VatGroup', 'Currency', 'Valid', 'Frozen', 'ShippingType'],
  ShippingType: ['Code', 'Name', 'Website'],
  VatGroup: ['Code', 'Name', 'Category', 'Inactive', 'VatGroups_Lines'],
  VatGroups_Line: ['Effectivefrom', 'Rate'],
  UserFieldMD: ['TableName', 'FieldID', 'Name', 'Type', 'Size', 'Description'],
  Payment: [
    'DocEntry',
    'DocNum',
    'DocType',
    'DocDate',
    'CardCode',
    'DocCurrency',
    'CashSum',
    'TransferAccount',
    'TransferSum',
    'TransferDate',
    'TransferReference',
    'CounterReference',
    'Remarks',
    'JournalRemarks',
    'Cancelled',
    'PaymentInvoices',
  ],
  PaymentInvoice: ['LineNum', 'DocEntry', 'SumApplied', 'InvoiceType'],
  SQLQuery: ['SqlCode', 'SqlName', 'SqlText'],
  UserTablesMD: ['TableName', 'TableDescription', 'TableType'],
  Currency: ['Code', 'Name'],
  /** CompanyService_GetAdminInfo's answer: the company's currencies and the decimal places SAP keeps. */
  AdminInfo: ['LocalCurrency', 'SystemCurrency', 'PriceAccuracy', 'TotalsAccuracy'],
} as const;

/** v2 (WCF-compatible naming) renames a property named like its type: BatchNumber.BatchNumber → BatchNumberProperty. */
export const SAP_VERSIONED_PROPERTIES = {
  v1: { BatchNumber: ['BatchNumber'] },
  v2: { BatchNumber: ['BatchNumberProperty'] },
} as const;

/** Bound actions the connector calls, by entity type. */
export const SAP_ACTIONS = { Document: ['Close', 'Cancel'], Payment: ['Cancel'], SQLQuery: ['List'] } as const;

/** Service (function) imports the connector calls: POST in v1 (OData v3), GET with () in v2 (OData v4). */
export const SAP_FUNCTIONS = ['CompanyService_GetAdminInfo'] as const;

export type SapVersion = 'v1' | 'v2';
export type EntitySetName = keyof typeof SAP_ENTITY_SETS;
export type SapTypeName = keyof typeof SAP_TYPES;
export type UserField = `U_${string}`;
export type PropertyOfType<T extends SapTypeName> = (typeof SAP_TYPES)[T][number] | UserField;
export type PropertyOf<S extends EntitySetName> = PropertyOfType<(typeof SAP_ENTITY_SETS)[S]>;

/** Compile-time check that a payload type only uses declared names: `const _: OnlyDeclared<T, 'Document'> = true`. */
export type OnlyDeclared<T, Type extends SapTypeName> = Exclude<keyof T, PropertyOfType<Type>> extends never ? true : never;

/** The batch number's property name for a Service Layer version. */
export const batchNumberProperty = (version: SapVersion) => SAP_VERSIONED_PROPERTIES[version].BatchNumber[0];
