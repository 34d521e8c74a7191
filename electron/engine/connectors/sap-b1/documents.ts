import Decimal from 'decimal.js';
import type { SapClient } from './client';
import { SapNotFoundError } from './errors';
import { keyPath, sapDate, sapQuery, type SapDateLiteral } from './query';
import { batchNumberProperty, type OnlyDeclared, type PropertyOf, type SapVersion, type UserField } from './schema';

export type DocumentSetName = 'Orders' | 'DeliveryNotes' | 'Returns' | 'CreditNotes' | 'Invoices' | 'PurchaseInvoices';

/** A batch allocation on a line; the connector writes it as BatchNumber (v1) or BatchNumberProperty (v2). */
export interface BatchAllocation {
  batchNumber: string;
  quantity: number;
  /** The LineNum of the line it belongs to in this document (SAP's BaseLineNumber), where sent. */
  baseLineNumber?: number;
}

export interface DocumentLineDraft {
  ItemCode?: string;
  ItemDescription?: string;
  /** Items only; a service line has none. */
  Quantity?: number;
  /** A service line's G/L account. */
  AccountCode?: string;
  /** A service line's net amount (decimal string or Decimal; sent as a number). */
  LineTotal?: Decimal | string;
  /** Unit price before VAT (decimal string or Decimal; sent as a number, as SAP's Edm.Double requires). */
  Price?: Decimal | string;
  PriceAfterVAT?: Decimal | string;
  /** Unit price before VAT and line discount (the orders flow's net prices). */
  UnitPrice?: Decimal | string;
  DiscountPercent?: number;
  VatGroup?: string;
  WarehouseCode?: string;
  BaseType?: number;
  BaseEntry?: number;
  BaseLine?: number;
  ReturnReason?: number;
  /** 'tYES': a money-only line (a Credit Memo that takes no goods back). */
  WithoutInventoryMovement?: 'tYES' | 'tNO';
  ShipDate?: string;
  SerialNumbers?: { InternalSerialNumber: string; Quantity?: number; BaseLineNumber?: number }[];
  [udf: UserField]: unknown;
}

export interface DocumentDraft {
  /** Items (the default) or services: lines of G/L accounts and amounts, no items and no stock. */
  DocType?: 'dDocument_Items' | 'dDocument_Service';
  CardCode: string;
  NumAtCard?: string;
  DocDate?: string;
  DocDueDate?: string;
  TaxDate?: string;
  Comments?: string;
  DocCurrency?: string;
  TransportationCode?: number;
  TrackingNumber?: string;
  AddressExtension?: Partial<
    Record<
      | 'ShipToStreet'
      | 'ShipToStreetNo'
      | 'ShipToBuilding'
      | 'ShipToCity'
      | 'ShipToZipCode'
      | 'ShipToCounty'
      | 'ShipToCountry'
      | 'ShipToAddress2'
      | 'ShipToAddress3'
      | 'BillToStreet'
      | 'BillToBuilding'
      | 'BillToCity'
      | 'BillToZipCode'
      | 'BillToCounty'
      | 'BillToCountry'
      | 'BillToAddress2'
      | 'BillToAddress3',
      string
    >
  >;
  DocumentLines: (DocumentLineDraft & { batches?: BatchAllocation[] })[];
  /** 'tYES' with RoundingDiffAmount: a controlled rounding so the document total matches an authoritative total. */
  Rounding?: 'tYES' | 'tNO';
  RoundingDiffAmount?: Decimal | string;
  /** Freight: an additional expense with its own VAT group. */
  DocumentAdditionalExpenses?: { ExpenseCode: number; LineTotal?: Decimal | string; LineGross?: Decimal | string; VatGroup?: string }[];
  [udf: UserField]: unknown;
}

// Compile-time: drafts use only names declared in schema.ts (which the metadata test checks against SAP).
const _documentNames: OnlyDeclared<Omit<DocumentDraft, `U_${string}`>, 'Document'> = true;
const _lineNames: OnlyDeclared<Omit<DocumentLineDraft, `U_${string}`>, 'DocumentLine'> = true;
void _documentNames;
void _lineNames;

/** A document as the flows see it: amounts as decimals. */
export interface SapDocument {
  DocEntry: number;
  DocNum: number;
  CardCode: string;
  NumAtCard: string | null;
  DocDate: string;
  DocumentStatus: string;
  Cancelled: string;
  DocTotal: Decimal;
  VatSum: Decimal;
  TransportationCode: number | null;
  TrackingNumber: string | null;
  UpdateDate: string | null;
  DocumentLines: SapDocumentLine[];
  /** Everything SAP returned, including UDFs. */
  raw: Record<string, unknown>;
}

export interface SapDocumentLine {
  LineNum: number;
  ItemCode: string;
  Quantity: Decimal;
  Price: Decimal;
  LineTotal: Decimal;
  WarehouseCode: string;
  LineStatus: string;
  RemainingOpenQuantity: Decimal;
  BaseType: number | null;
  BaseEntry: number | null;
  BaseLine: number | null;
  batches: BatchAllocation[];
}

const dec = (v: unknown) => new Decimal(typeof v === 'number' || typeof v === 'string' ? v : 0);
const toNumber = (v: Decimal | string | undefined) => (v === undefined ? undefined : new Decimal(v).toNumber());

export function toSapDocument(raw: Record<string, unknown>, version: SapVersion): SapDocument {
  const batchKey = batchNumberProperty(version);
  const lines = (raw.DocumentLines as Record<string, unknown>[] | undefined) ?? [];
  return {
    DocEntry: Number(raw.DocEntry),
    DocNum: Number(raw.DocNum),
    CardCode: String(raw.CardCode ?? ''),
    NumAtCard: (raw.NumAtCard as string | null) ?? null,
    DocDate: String(raw.DocDate ?? '').slice(0, 10),
    DocumentStatus: String(raw.DocumentStatus ?? ''),
    Cancelled: String(raw.Cancelled ?? ''),
    DocTotal: dec(raw.DocTotal),
    VatSum: dec(raw.VatSum),
    TransportationCode: (raw.TransportationCode as number | null) ?? null,
    TrackingNumber: (raw.TrackingNumber as string | null) ?? null,
    UpdateDate: raw.UpdateDate ? String(raw.UpdateDate).slice(0, 10) : null,
    DocumentLines: lines.map((l) => ({
      LineNum: Number(l.LineNum),
      ItemCode: String(l.ItemCode ?? ''),
      Quantity: dec(l.Quantity),
      Price: dec(l.Price),
      LineTotal: dec(l.LineTotal),
      WarehouseCode: String(l.WarehouseCode ?? ''),
      LineStatus: String(l.LineStatus ?? ''),
      RemainingOpenQuantity: dec(l.RemainingOpenQuantity),
      BaseType: (l.BaseType as number | null) ?? null,
      BaseEntry: (l.BaseEntry as number | null) ?? null,
      BaseLine: (l.BaseLine as number | null) ?? null,
      batches: ((l.BatchNumbers as Record<string, unknown>[] | undefined) ?? []).map((b) => ({
        batchNumber: String(b[batchKey] ?? ''),
        quantity: Number(b.Quantity ?? 0),
      })),
    })),
    raw,
  };
}

/** The wire body for a draft: prices as numbers, batches under the version's property name. */
export function documentBody(draft: DocumentDraft, version: SapVersion): Record<string, unknown> {
  const batchKey = batchNumberProperty(version);
  const { RoundingDiffAmount, DocumentAdditionalExpenses, ...header } = draft;
  return {
    ...header,
    ...(RoundingDiffAmount !== undefined ? { RoundingDiffAmount: toNumber(RoundingDiffAmount) } : {}),
    ...(DocumentAdditionalExpenses
      ? { DocumentAdditionalExpenses: DocumentAdditionalExpenses.map((e) => ({ ...e, LineTotal: toNumber(e.LineTotal), LineGross: toNumber(e.LineGross) })) }
      : {}),
    DocumentLines: draft.DocumentLines.map(({ batches, Price, PriceAfterVAT, UnitPrice, LineTotal, ...line }) => ({
      ...line,
      ...(LineTotal !== undefined ? { LineTotal: toNumber(LineTotal) } : {}),
      ...(Price !== undefined ? { Price: toNumber(Price) } : {}),
      ...(PriceAfterVAT !== undefined ? { PriceAfterVAT: toNumber(PriceAfterVAT) } : {}),
      ...(UnitPrice !== undefined ? { UnitPrice: toNumber(UnitPrice) } : {}),
      ...(batches
        ? {
            BatchNumbers: batches.map((b) => ({
              [batchKey]: b.batchNumber,
              Quantity: b.quantity,
              ...(b.baseLineNumber !== undefined ? { BaseLineNumber: b.baseLineNumber } : {}),
            })),
          }
        : {}),
    })),
  };
}

/** Operations on one kind of marketing document. */
export function documentsApi(client: SapClient, set: DocumentSetName) {
  const version = client.version;
  return {
    async get(docEntry: number): Promise<SapDocument> {
      return toSapDocument(await client.read(keyPath(set, docEntry)), version);
    },

    async find(docEntry: number): Promise<SapDocument | undefined> {
      try {
        return await this.get(docEntry);
      } catch (e) {
        if (e instanceof SapNotFoundError) return undefined;
        throw e;
      }
    },

    /** Documents with this customer's order number, newest first. NumAtCard is not unique in SAP, so this may return several. */
    async findByNumAtCard(numAtCard: string, cardCode?: string): Promise<SapDocument[]> {
      const q = sapQuery(set)
        .filter((f) => (cardCode ? f.and(f.eq('NumAtCard', numAtCard), f.eq('CardCode', cardCode)) : f.eq('NumAtCard', numAtCard)))
        .orderBy('DocEntry', 'desc');
      return (await client.all<Record<string, unknown>>(q.toString(), 50)).map((d) => toSapDocument(d, version));
    },

    /** Documents whose user-defined field holds this value, oldest first, read in full. */
    async findByField(field: UserField, value: string): Promise<SapDocument[]> {
      const q = sapQuery(set)
        .filter((f) => f.eq(field, value))
        .orderBy('DocEntry', 'asc');
      return (await client.all<Record<string, unknown>>(q.toString(), 50)).map((d) => toSapDocument(d, version));
    },

    /**
     * Documents whose user-defined field holds any of these values, read in full, a few values a request (an `or` of
     * `eq`s: SAP has no `in`, and a long filter makes a long URL).
     */
    async findByFieldValues(field: UserField, values: readonly string[], perRequest = 20): Promise<SapDocument[]> {
      const out: SapDocument[] = [];
      for (let i = 0; i < values.length; i += perRequest) {
        const part = values.slice(i, i + perRequest);
        const q = sapQuery(set)
          .filter((f) => f.or(...part.map((v) => f.eq(field, v))))
          .orderBy('DocEntry', 'asc');
        out.push(...(await client.all<Record<string, unknown>>(q.toString(), 100)).map((d) => toSapDocument(d, version)));
      }
      return out;
    },

    /** A customer's documents posted (DocDate) between two days, inclusive, a page at a time. */
    async *postedBetween(cardCode: string, fromDay: string, toDay: string, pageSize = 200): AsyncGenerator<SapDocument[]> {
      const q = sapQuery(set)
        .filter((f) => f.and(f.eq('CardCode', cardCode), f.ge('DocDate', sapDate(fromDay)), f.le('DocDate', sapDate(toDay))))
        .orderBy('DocEntry');
      for await (const page of client.pages<Record<string, unknown>>(q.toString(), pageSize)) yield page.map((d) => toSapDocument(d, version));
    },

    /** Documents updated on or after a day (SAP filters dates by day; the caller de-duplicates by DocEntry). */
    async *updatedSince(day: SapDateLiteral | string, pageSize = 200): AsyncGenerator<SapDocument[]> {
      const since = typeof day === 'string' ? sapDate(day) : day;
      const q = sapQuery(set)
        .filter((f) => f.ge('UpdateDate', since))
        .orderBy('DocEntry');
      for await (const page of client.pages<Record<string, unknown>>(q.toString(), pageSize)) yield page.map((d) => toSapDocument(d, version));
    },

    /**
     * Creates the document. If the answer is lost, `lookup` (default: the newest document with the same
     * NumAtCard and CardCode) decides whether the first attempt landed before anything is sent again.
     */
    async create(draft: DocumentDraft, lookup?: () => Promise<SapDocument | undefined>): Promise<{ document: SapDocument; recovered: boolean }> {
      const find = lookup ?? (draft.NumAtCard ? async () => (await this.findByNumAtCard(draft.NumAtCard!, draft.CardCode))[0] : async () => undefined);
      const { entity, recovered } = await client.createWithLookup<Record<string, unknown> | SapDocument>(set, documentBody(draft, version), find);
      const document = 'raw' in entity && entity.raw ? (entity as SapDocument) : toSapDocument(entity as Record<string, unknown>, version);
      return { document, recovered };
    },

    async patch(
      docEntry: number,
      changes: Partial<Pick<DocumentDraft, 'Comments' | 'TrackingNumber' | 'TransportationCode' | 'NumAtCard'>> & { [udf: UserField]: unknown },
    ): Promise<void> {
      await client.write({ method: 'PATCH', path: keyPath(set, docEntry), data: changes });
    },

    /** Close releases what an order still holds; Cancel cancels an order nothing was copied from. */
    async action(docEntry: number, action: 'Close' | 'Cancel'): Promise<void> {
      await client.write({ method: 'POST', path: `${keyPath(set, docEntry)}/${action}` });
    },
  };
}
export type DocumentsApi = ReturnType<typeof documentsApi>;

/** What a despatch needs of a Delivery Note: who it is for, its state and change stamp, carrier, tracking number and the lines with their base. */
const DESPATCH_FIELDS = [
  'DocEntry',
  'DocNum',
  'CardCode',
  'Cancelled',
  'UpdateDate',
  'UpdateTime',
  'TransportationCode',
  'TrackingNumber',
  'DocumentLines',
] as const;

/** Delivery Notes, with the read the despatch flow makes. */
export function deliveryNotesApi(client: SapClient) {
  const documents = documentsApi(client, 'DeliveryNotes');
  return {
    ...documents,
    /**
     * One customer's Delivery Notes updated on or after a day (SAP compares the day only), with only the fields a
     * despatch reads and, when the company records the carrier in a user-defined field, that field (name without U_).
     * SAP filters by customer, so other customers' deliveries never cross the network.
     */
    async *forCustomerSince(
      cardCode: string,
      day: SapDateLiteral | string,
      options: { carrierField?: string; pageSize?: number } = {},
    ): AsyncGenerator<SapDocument[]> {
      const since = typeof day === 'string' ? sapDate(day) : day;
      const select: PropertyOf<'DeliveryNotes'>[] = [...DESPATCH_FIELDS, ...(options.carrierField ? [`U_${options.carrierField}` as const] : [])];
      const q = sapQuery('DeliveryNotes')
        .select(...select)
        .filter((f) => f.and(f.eq('CardCode', cardCode), f.ge('UpdateDate', since)))
        .orderBy('DocEntry');
      for await (const page of client.pages<Record<string, unknown>>(q.toString(), options.pageSize ?? 200))
        yield page.map((d) => toSapDocument(d, client.version));
    },
  };
}
export type DeliveryNotesApi = ReturnType<typeof deliveryNotesApi>;
