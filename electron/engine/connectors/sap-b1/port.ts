import Decimal from 'decimal.js';
import type {
  ConsoleFieldCheck,
  CopiedDocumentDraft,
  CopiedDocuments,
  CopiedLine,
  LeaseTerm,
  PostalAddress,
  Sap,
  SalesDocument,
  SalesDocumentLine,
  SalesOrderDraft,
  SapItem as DomainItem,
} from '../ports/sap';
import type { DocumentDraft, DocumentsApi, SapDocument } from './documents';
import { isSapError } from './errors';
import { payoutPostings } from './payouts';
import type { SapConnector, SapItem } from './index';
import { sapDate, sapQuery } from './query';
import { clipText } from '../../../../shared/domain/text';

/**
 * The names the console's data has in this SAP company: the user-defined fields that carry the marketplace ids
 * (settings: orders → advanced), and the field a business may record its carrier in (settings: despatch). Read on
 * every call: an operator may change them while the engine runs.
 */
export interface SapFieldNames {
  orderId: string;
  orderLineId: string;
  /** The fields on Returns and Credit Memos that hold the marketplace return and refund ids. */
  returnId: string;
  refundId: string;
  /** A user-defined field on the Delivery Note that names the carrier, when the business records it there. */
  carrier: string | null;
}

/** The posting lease's table (`@JLM_LEASE`, served as `U_JLM_LEASE`) and its fields. */
export const LEASE_TABLE = 'JLM_LEASE';
const LEASE_FIELDS = [
  { Name: 'Holder', Description: 'Console holding the lease', Size: 100 },
  { Name: 'Until', Description: 'Lease valid until (UTC)', Size: 30 },
] as const;
const LEASE_CODE_WIDTH = 10;

/** B1 object types on a copied line (BaseType) in the console's words. */
const BASE_KIND: Record<number, NonNullable<SalesDocumentLine['base']>['kind']> = { 17: 'sales-order', 15: 'delivery-note', 13: 'invoice', 16: 'return' };
/** The B1 object type (BaseType) a copied line names for each kind of base document. */
const BASE_TYPE: Record<NonNullable<CopiedLine['base']>['kind'], number> = { 'delivery-note': 15, invoice: 13, return: 16 };

/** SAP's field sizes on the Sales Order's address (AddressExtension). */
const ADDRESS_SIZES = { name: 100, street: 100, street2: 50, city: 100, postcode: 20, county: 100 } as const;

const udf = (name: string) => `U_${name}` as const;
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const dec = (v: unknown) => new Decimal(typeof v === 'number' || typeof v === 'string' ? v : 0);

/** A document as SAP returned it, in the console's terms. */
export function salesDocumentOf(doc: SapDocument, fields: SapFieldNames): SalesDocument {
  const rawLines = (doc.raw.DocumentLines as Record<string, unknown>[] | undefined) ?? [];
  const date = String(doc.raw.UpdateDate ?? doc.UpdateDate ?? '').slice(0, 10);
  const time = String(doc.raw.UpdateTime ?? '00:00:00')
    .slice(0, 8)
    .padEnd(8, ':00');
  return {
    docEntry: doc.DocEntry,
    docNum: doc.DocNum,
    customer: doc.CardCode,
    customerReference: doc.NumAtCard,
    postingDate: doc.DocDate,
    status: doc.DocumentStatus === 'bost_Open' ? 'open' : 'closed',
    cancelled: doc.Cancelled === 'tYES',
    total: doc.DocTotal,
    vatTotal: doc.VatSum,
    rounding: dec(doc.raw.RoundingDiffAmount),
    marketplaceOrderId: text(doc.raw[udf(fields.orderId)]),
    marketplaceReturnId: text(doc.raw[udf(fields.returnId)]),
    marketplaceRefundId: text(doc.raw[udf(fields.refundId)]),
    freight: freightOf(doc.raw),
    shippingType: doc.TransportationCode !== null && doc.TransportationCode >= 0 ? doc.TransportationCode : null,
    carrierFieldValue: fields.carrier ? text(doc.raw[udf(fields.carrier)]) : null,
    trackingNumber: doc.TrackingNumber,
    updatedAt: date ? `${date}T${time}` : null,
    lines: doc.DocumentLines.map((l, i) => ({
      lineNum: l.LineNum,
      itemCode: l.ItemCode,
      quantity: l.Quantity,
      openQuantity: l.RemainingOpenQuantity,
      open: l.LineStatus === 'bost_Open',
      warehouse: l.WarehouseCode,
      marketplaceLineId: text(rawLines[i]?.[udf(fields.orderLineId)]),
      unitPrice: l.Price,
      lineTotal: l.LineTotal,
      vatTotal: dec(rawLines[i]?.TaxTotal),
      vatGroup: text(rawLines[i]?.VatGroup),
      batches: l.batches.map((b) => ({ batch: b.batchNumber, quantity: b.quantity })),
      serials: ((rawLines[i]?.SerialNumbers as Record<string, unknown>[] | undefined) ?? [])
        .map((sn) => text(sn.InternalSerialNumber) ?? text(sn.ManufacturerSerialNumber))
        .filter((sn): sn is string => sn !== null),
      withoutStock: rawLines[i]?.WithoutInventoryMovement === 'tYES',
      base:
        l.BaseType !== null && l.BaseType >= 0 && l.BaseEntry !== null
          ? { kind: BASE_KIND[l.BaseType] ?? 'other', docEntry: l.BaseEntry, lineNum: l.BaseLine ?? 0 }
          : null,
    })),
  };
}

/** A document's freight (its additional expenses), net and VAT; null when it has none. */
function freightOf(raw: Record<string, unknown>): { net: Decimal; vat: Decimal } | null {
  const expenses = (raw.DocumentAdditionalExpenses as Record<string, unknown>[] | undefined) ?? [];
  if (!expenses.length) return null;
  let net = new Decimal(0);
  let vat = new Decimal(0);
  for (const e of expenses) [net, vat] = [net.plus(dec(e.LineTotal)), vat.plus(dec(e.TaxSum))];
  return { net, vat };
}

/** Cut to SAP's field size, never inside a character (an emoji split in two is not text SAP can keep). */
const clip = (v: string | undefined, n: number) => (v ? clipText(v, n) : undefined);

function addressExtension(shipTo: PostalAddress | undefined, billTo: PostalAddress | undefined): DocumentDraft['AddressExtension'] | undefined {
  const out: NonNullable<DocumentDraft['AddressExtension']> = {};
  if (shipTo) {
    out.ShipToBuilding = clip(shipTo.name, ADDRESS_SIZES.name);
    out.ShipToStreet = clip(shipTo.street, ADDRESS_SIZES.street);
    out.ShipToAddress2 = clip(shipTo.street2, ADDRESS_SIZES.street2);
    out.ShipToCity = clip(shipTo.city, ADDRESS_SIZES.city);
    out.ShipToZipCode = clip(shipTo.postcode, ADDRESS_SIZES.postcode);
    out.ShipToCounty = clip(shipTo.county, ADDRESS_SIZES.county);
    out.ShipToCountry = shipTo.country;
  }
  if (billTo) {
    out.BillToBuilding = clip(billTo.name, ADDRESS_SIZES.name);
    out.BillToStreet = clip(billTo.street, ADDRESS_SIZES.street);
    out.BillToAddress2 = clip(billTo.street2, ADDRESS_SIZES.street2);
    out.BillToCity = clip(billTo.city, ADDRESS_SIZES.city);
    out.BillToZipCode = clip(billTo.postcode, ADDRESS_SIZES.postcode);
    out.BillToCounty = clip(billTo.county, ADDRESS_SIZES.county);
    out.BillToCountry = billTo.country;
  }
  for (const k of Object.keys(out) as (keyof typeof out)[]) if (out[k] === undefined || out[k] === '') delete out[k];
  return Object.keys(out).length ? out : undefined;
}

/** The Service Layer document for a Sales Order the console wants: SAP's names, its Yes/No values and the company's fields. */
export function documentDraftOf(draft: SalesOrderDraft, fields: SapFieldNames): DocumentDraft {
  const address = addressExtension(draft.shipTo, draft.billTo);
  return {
    CardCode: draft.customer,
    NumAtCard: draft.customerReference,
    ...(draft.postingDate ? { DocDate: draft.postingDate } : {}),
    ...(draft.dueDate ? { DocDueDate: draft.dueDate } : {}),
    // SAP's Remarks hold 254 characters.
    Comments: draft.remarks.slice(0, 254),
    ...(draft.currency ? { DocCurrency: draft.currency } : {}),
    ...(address ? { AddressExtension: address } : {}),
    DocumentLines: draft.lines.map((l) => ({
      ItemCode: l.itemCode,
      Quantity: l.quantity,
      ...(draft.pricesIncludeVat ? { PriceAfterVAT: l.unitPrice } : { UnitPrice: l.unitPrice }),
      VatGroup: l.vatGroup,
      WarehouseCode: l.warehouse,
      ...(l.marketplaceLineId !== undefined ? { [udf(fields.orderLineId)]: l.marketplaceLineId } : {}),
    })),
    ...(draft.freight
      ? {
          DocumentAdditionalExpenses: [
            {
              ExpenseCode: draft.freight.expenseCode,
              ...(draft.pricesIncludeVat ? { LineGross: draft.freight.amount } : { LineTotal: draft.freight.amount }),
              VatGroup: draft.freight.vatGroup,
            },
          ],
        }
      : {}),
    ...(draft.rounding && !draft.rounding.isZero() ? { Rounding: 'tYES' as const, RoundingDiffAmount: draft.rounding } : {}),
    [udf(fields.orderId)]: draft.marketplaceOrderId,
  };
}

/**
 * The Service Layer document for a document copied line by line from base documents: every line names its base
 * (BaseType/BaseEntry/BaseLine), so SAP takes item, price, VAT group and warehouse from it; a price goes only where
 * the line's value is not its base's, a warehouse only where the goods go elsewhere (a returns warehouse).
 */
export function copiedDocumentDraftOf(draft: CopiedDocumentDraft, fields: SapFieldNames): DocumentDraft {
  return {
    CardCode: draft.customer,
    NumAtCard: draft.customerReference,
    ...(draft.postingDate ? { DocDate: draft.postingDate } : {}),
    // SAP's Remarks hold 254 characters.
    Comments: draft.remarks.slice(0, 254),
    DocumentLines: draft.lines.map((l, lineNum) => ({
      ...(l.base
        ? { BaseType: BASE_TYPE[l.base.kind], BaseEntry: l.base.docEntry, BaseLine: l.base.lineNum }
        : { ItemCode: l.item?.itemCode, VatGroup: l.item?.vatGroup, WarehouseCode: l.item?.warehouse }),
      Quantity: l.quantity,
      ...(l.unitPrice !== undefined ? (draft.pricesIncludeVat ? { PriceAfterVAT: l.unitPrice } : { Price: l.unitPrice }) : {}),
      ...(l.warehouse ? { WarehouseCode: l.warehouse } : {}),
      // A money-only line moves no goods, so it names no batches or serials (SAP asks for none).
      ...(l.withoutStock
        ? { WithoutInventoryMovement: 'tYES' as const }
        : {
            ...(l.batches?.length ? { batches: l.batches.map((b) => ({ batchNumber: b.batch, quantity: b.quantity, baseLineNumber: lineNum })) } : {}),
            ...(l.serials?.length ? { SerialNumbers: l.serials.map((sn) => ({ InternalSerialNumber: sn, Quantity: 1, BaseLineNumber: lineNum })) } : {}),
          }),
    })),
    ...(draft.freight
      ? {
          DocumentAdditionalExpenses: [
            {
              ExpenseCode: draft.freight.expenseCode,
              ...(draft.pricesIncludeVat ? { LineGross: draft.freight.amount } : { LineTotal: draft.freight.amount }),
              VatGroup: draft.freight.vatGroup,
            },
          ],
        }
      : {}),
    ...(draft.rounding && !draft.rounding.isZero() ? { Rounding: 'tYES' as const, RoundingDiffAmount: draft.rounding } : {}),
    [udf(fields.orderId)]: draft.marketplaceOrderId,
    ...(draft.marketplaceReturnId !== undefined ? { [udf(fields.returnId)]: draft.marketplaceReturnId } : {}),
    ...(draft.marketplaceRefundId !== undefined ? { [udf(fields.refundId)]: draft.marketplaceRefundId } : {}),
  };
}

/** Invoices, Credit Memos or Returns as the flows see them, over one document set of the connector. */
function copiedDocuments(api: DocumentsApi, fields: () => SapFieldNames): CopiedDocuments {
  const doc = (d: SapDocument) => salesDocumentOf(d, fields());
  return {
    async create(draft, lookup) {
      const { document, recovered } = await api.create(copiedDocumentDraftOf(draft, fields()), async () => {
        const found = await lookup();
        // The lookup answers in the flows' shape; the document is read again in full.
        return found ? await api.get(found.docEntry) : undefined;
      });
      return { document: doc(document), recovered };
    },
    get: async (docEntry) => doc(await api.get(docEntry)),
    async forMarketplaceOrder({ marketplaceOrderId, customerReference, customer }) {
      const field = udf(fields().orderId);
      const found = new Map<number, SapDocument>();
      for (const d of await api.findByField(field, marketplaceOrderId)) found.set(d.DocEntry, d);
      // Keyed by hand: the customer's reference on this customer, and no marketplace order id of its own.
      if (customerReference)
        for (const d of await api.findByNumAtCard(customerReference, customer)) if (!text(d.raw[field]) && !found.has(d.DocEntry)) found.set(d.DocEntry, d);
      return [...found.values()].sort((a, b) => a.DocEntry - b.DocEntry).map(doc);
    },
    forMarketplaceOrders: async (ids) => (ids.length ? (await api.findByFieldValues(udf(fields().orderId), [...new Set(ids)])).map(doc) : []),
    async *postedBetween(customer, fromDay, toDay) {
      for await (const page of api.postedBetween(customer, fromDay, toDay)) yield page.map(doc);
    },
  };
}

function itemOf(item: SapItem): DomainItem {
  return {
    itemCode: item.ItemCode,
    name: item.ItemName,
    batchManaged: item.ManageBatchNumbers === 'tYES',
    serialManaged: item.ManageSerialNumbers === 'tYES',
    active: item.Valid !== 'tNO' && item.Frozen !== 'tYES',
    salesItem: item.SalesItem !== 'tNO',
    salesVatGroup: item.SalesVATGroup ?? null,
    stock: (item.ItemWarehouseInfoCollection ?? []).map((w) => ({ warehouse: w.WarehouseCode, inStock: dec(w.InStock), committed: dec(w.Committed) })),
  };
}

/** The documents that move stock: a Sales Order commits, the others move stock. */
const STOCK_DOCUMENT_SETS = ['Orders', 'DeliveryNotes', 'Invoices', 'Returns', 'CreditNotes'] as const;

/**
 * SAP as the flows see it (connectors/ports/sap.ts), over the Service Layer connector: this is where Service Layer
 * names, Yes/No enums, user-defined field names and OData filters are translated.
 */
export function sapPort(connector: SapConnector, fields: () => SapFieldNames): Sap {
  const doc = (d: SapDocument) => salesDocumentOf(d, fields());
  const leaseTable = () => connector.userTable(LEASE_TABLE);
  const code = (n: number) => String(n).padStart(LEASE_CODE_WIDTH, '0');
  const term = (row: { Code: string; U_Holder?: unknown; U_Until?: unknown } | undefined): LeaseTerm | null => {
    if (!row) return null;
    const number = Number(row.Code);
    const untilMs = Date.parse(String(row.U_Until ?? ''));
    return Number.isInteger(number) ? { number, holder: text(row.U_Holder), untilMs: Number.isNaN(untilMs) ? 0 : untilMs } : null;
  };

  return {
    login: () => connector.login(),
    logout: () => connector.logout(),
    health: () => connector.health(),
    salesOrders: {
      async create(draft, lookup) {
        const { document, recovered } = await connector.orders.create(documentDraftOf(draft, fields()), async () => {
          const found = await lookup();
          // The connector's lookup answers in its own shape; the document is read again in full below.
          return found ? await connector.orders.get(found.docEntry) : undefined;
        });
        return { document: doc(document), recovered };
      },
      get: async (docEntry) => doc(await connector.orders.get(docEntry)),
      find: async (docEntry) => {
        const found = await connector.orders.find(docEntry);
        return found ? doc(found) : undefined;
      },
      async findForMarketplaceOrder({ marketplaceOrderId, customerReference, customer }) {
        const field = udf(fields().orderId);
        const byField = await connector.listAll<Record<string, unknown>>(
          sapQuery('Orders')
            .select('DocEntry')
            .filter((f) => f.eq(field, marketplaceOrderId))
            .orderBy('DocEntry', 'asc'),
        );
        if (byField.length) return doc(await connector.orders.get(Number(byField[0]!.DocEntry)));
        if (!customerReference) return undefined;
        const byReference = await connector.orders.findByNumAtCard(customerReference, customer);
        const mine = byReference.filter((d) => !d.raw[field] || d.raw[field] === marketplaceOrderId).at(-1);
        return mine ? doc(mine) : undefined;
      },
      async createdSince(customer, day) {
        const field = udf(fields().orderId);
        const rows = await connector.listAll<Record<string, unknown>>(
          sapQuery('Orders')
            .select('DocEntry', 'DocNum', 'Cancelled', field)
            .filter((f) => f.and(f.eq('CardCode', customer), f.ge('CreationDate', sapDate(day))))
            .orderBy('DocEntry', 'asc'),
        );
        return rows.map((r) => ({
          docEntry: Number(r.DocEntry),
          docNum: Number(r.DocNum),
          cancelled: r.Cancelled === 'tYES',
          marketplaceOrderId: text(r[field]),
        }));
      },
      close: (docEntry) => connector.orders.action(docEntry, 'Close'),
    },
    deliveryNotes: {
      async *changedSince(customer, day) {
        const carrier = fields().carrier;
        for await (const page of connector.deliveryNotes.forCustomerSince(customer, day, carrier ? { carrierField: carrier } : {})) yield page.map(doc);
      },
      get: async (docEntry) => doc(await connector.deliveryNotes.get(docEntry)),
      setTrackingNumber: (docEntry, trackingNumber) => connector.deliveryNotes.patch(docEntry, { TrackingNumber: trackingNumber }),
    },
    invoices: copiedDocuments(connector.invoices, fields),
    creditMemos: copiedDocuments(connector.creditNotes, fields),
    returns: copiedDocuments(connector.returns, fields),
    payouts: payoutPostings(connector),
    items: {
      get: async (itemCode) => itemOf(await connector.items.get(itemCode)),
    },
    company: {
      async customer(cardCode) {
        const bp = await connector.businessPartner(cardCode);
        return { code: cardCode, name: String(bp.CardName ?? ''), active: bp.Valid !== 'tNO' && bp.Frozen !== 'tYES', currency: text(bp.Currency) };
      },
      warehouses: () => connector.stockWarehouses(),
      outputVatGroups: async () => (await connector.outputVatGroups()).map((g) => ({ code: g.Code, name: g.Name, rate: g.rate })),
      setup: () => connector.companySetup(),
      shippingTypes: async () => (await connector.shippingTypes()).map((t) => ({ code: t.Code, name: t.Name })),
      consoleFields: (options) => checkConsoleFields(connector, fields(), options.create),
    },
    lease: {
      latest: async () => term((await leaseTable().latest(1))[0] as never),
      async claim(t) {
        const { inserted } = await leaseTable().insert({
          Code: code(t.number),
          Name: code(t.number),
          U_Holder: t.holder,
          U_Until: new Date(t.untilMs).toISOString(),
        });
        return inserted;
      },
      extend: (t) => leaseTable().update(code(t.number), { U_Holder: t.holder, U_Until: new Date(t.untilMs).toISOString() }),
      async forgetBefore(number) {
        for (const row of await leaseTable().latest(25)) {
          const n = Number(row.Code);
          if (Number.isInteger(n) && n < number) await leaseTable().remove(row.Code);
        }
      },
    },
    stock: {
      warehouses: () => connector.stockWarehouses(),
      open: (options) => connector.openStockRead(options),
      async itemsOnDocumentsSince(marks) {
        const itemCodes = new Set<string>();
        const next: Record<string, number> = {};
        for (const set of STOCK_DOCUMENT_SETS) {
          if (marks === null || marks[set] === undefined) {
            const [newest] = await connector.listAll<{ DocEntry: number }>(sapQuery(set).select('DocEntry').orderBy('DocEntry', 'desc').top(1), 1);
            next[set] = newest?.DocEntry ?? 0;
            continue;
          }
          let mark = marks[set];
          const q = sapQuery(set)
            .select('DocEntry', 'DocumentLines')
            .filter((f) => f.gt('DocEntry', mark))
            .orderBy('DocEntry');
          for await (const page of connector.list<{ DocEntry: number; DocumentLines?: { ItemCode?: string | null }[] }>(q, 200)) {
            for (const d of page) {
              mark = Math.max(mark, d.DocEntry);
              for (const line of d.DocumentLines ?? []) if (line.ItemCode) itemCodes.add(line.ItemCode);
            }
          }
          next[set] = mark;
        }
        return { itemCodes, marks: next };
      },
    },
  };
}

const message = (e: unknown) => (isSapError(e) ? (e.sapMessage ?? e.message) : e instanceof Error ? e.message : String(e));

/**
 * The fields on Sales Orders and their lines, on Invoices, Credit Memos and Returns, and the posting lease's table and
 * fields: each found, created (if asked) or missing.
 */
async function checkConsoleFields(connector: SapConnector, fields: SapFieldNames, create: boolean): Promise<ConsoleFieldCheck[]> {
  const checks: ConsoleFieldCheck[] = [];
  const ensure = async (
    field: { TableName: string; Name: string; Description: string; Size: number },
    purpose: ConsoleFieldCheck['purpose'],
    usedBy: ConsoleFieldCheck['usedBy'] = 'orders',
  ) => {
    const label = `${field.TableName}.U_${field.Name}`;
    try {
      const found = (await connector.userFields(field.TableName)).find((f) => f.Name === field.Name);
      if (found) checks.push({ label, purpose, usedBy, state: 'exists', size: found.Size, error: null });
      else if (create) {
        await connector.createUserField(field);
        checks.push({ label, purpose, usedBy, state: 'created', size: field.Size, error: null });
      } else checks.push({ label, purpose, usedBy, state: 'missing', size: null, error: null });
    } catch (e) {
      checks.push({ label, purpose, usedBy, state: 'failed', size: null, error: message(e) });
    }
  };
  await ensure({ TableName: 'ORDR', Name: fields.orderId, Description: 'Marketplace order id', Size: 50 }, 'marketplace-order-id');
  await ensure({ TableName: 'RDR1', Name: fields.orderLineId, Description: 'Marketplace order line id', Size: 50 }, 'marketplace-line-id');
  // Invoices, Credit Memos and Returns carry the order id too, and Credit Memos and Returns the return and refund ids.
  // SAP adds a field on one marketing document to all of them, so these are usually found once the first exists.
  for (const table of ['OINV', 'ORIN', 'ORDN'])
    await ensure({ TableName: table, Name: fields.orderId, Description: 'Marketplace order id', Size: 50 }, 'marketplace-order-id', 'finance');
  for (const table of ['ORIN', 'ORDN']) {
    await ensure({ TableName: table, Name: fields.returnId, Description: 'Marketplace return id', Size: 50 }, 'marketplace-return-id', 'finance');
    await ensure({ TableName: table, Name: fields.refundId, Description: 'Marketplace refund id', Size: 50 }, 'marketplace-refund-id', 'finance');
  }

  const label = `@${LEASE_TABLE}`;
  let table: ConsoleFieldCheck;
  try {
    const lease = connector.userTable(LEASE_TABLE);
    if (await lease.exists()) table = { label, purpose: 'lease-table', usedBy: 'orders', state: 'exists', size: null, error: null };
    else if (create) {
      await lease.create('Marketplace posting lease');
      table = { label, purpose: 'lease-table', usedBy: 'orders', state: 'created', size: null, error: null };
    } else table = { label, purpose: 'lease-table', usedBy: 'orders', state: 'missing', size: null, error: null };
  } catch (e) {
    table = { label, purpose: 'lease-table', usedBy: 'orders', state: 'failed', size: null, error: message(e) };
  }
  checks.push(table);
  if (table.state === 'exists' || table.state === 'created') for (const f of LEASE_FIELDS) await ensure({ TableName: label, ...f }, 'lease-field');
  return checks;
}
