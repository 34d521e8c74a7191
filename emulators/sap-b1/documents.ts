import Decimal from 'decimal.js';
import { business, incompleteBatch, notFound, notSupported, type SlVersion } from './errors';
import { DOC_OBJECT_CODE, OBJECT_TYPE, PURCHASE_SETS, round, type DocumentSet, type EmulatorState, type Entity, type ItemRecord } from './state';
import { validateBody } from './validate';

/** Which documents a line of each set may be copied from (BaseType), as B1's document flow allows. */
const ALLOWED_BASES: Record<DocumentSet, number[]> = {
  Orders: [],
  DeliveryNotes: [17],
  Returns: [15],
  Invoices: [17, 15],
  CreditNotes: [13, 16],
  PurchaseInvoices: [],
};
const SET_BY_OBJECT: Record<number, DocumentSet> = { 13: 'Invoices', 14: 'CreditNotes', 15: 'DeliveryNotes', 16: 'Returns', 17: 'Orders' };

type Movement = { inStock: number; committed: number; batches: 'out' | 'in' | 'none' };
const NO_MOVEMENT: Movement = { inStock: 0, committed: 0, batches: 'none' };

/**
 * How a line moves stock: −1 leaves the warehouse, +1 comes back; committed falls when an order line is fulfilled.
 * A line without inventory movement (a money-only Credit Memo line) moves nothing.
 */
function movement(set: DocumentSet, baseType: number | undefined, withoutInventoryMovement: boolean): Movement {
  if (withoutInventoryMovement) return NO_MOVEMENT;
  switch (set) {
    case 'Orders':
      return { inStock: 0, committed: 1, batches: 'none' };
    case 'DeliveryNotes':
      return { inStock: -1, committed: baseType === 17 ? -1 : 0, batches: 'out' };
    case 'Invoices':
      if (baseType === 15) return { inStock: 0, committed: 0, batches: 'none' };
      return { inStock: -1, committed: baseType === 17 ? -1 : 0, batches: 'out' };
    case 'Returns':
      return { inStock: 1, committed: 0, batches: 'in' };
    case 'CreditNotes':
      if (baseType === 16) return { inStock: 0, committed: 0, batches: 'none' };
      return { inStock: 1, committed: 0, batches: 'in' };
    case 'PurchaseInvoices':
      // An A/P Invoice of items with no goods receipt before it brings the goods in.
      return { inStock: 1, committed: 0, batches: 'in' };
  }
}

const today = (state: EmulatorState) => new Date(state.now()).toISOString().slice(0, 10);
const timeNow = (state: EmulatorState) => new Date(state.now()).toISOString().slice(11, 19);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : undefined;
/** What is still to be paid (or, on a credit memo, to be applied) of a document. */
const openAmount = (doc: Entity) => new Decimal(num(doc.DocTotal) ?? 0).minus(num(doc.PaidToDate) ?? 0);

/** The header table of each document set, as SAP names it in its messages ([ORDR.DocCur]). */
const TABLE_OF: Record<DocumentSet, string> = {
  Orders: 'ORDR',
  DeliveryNotes: 'ODLN',
  Returns: 'ORDN',
  CreditNotes: 'ORIN',
  Invoices: 'OINV',
  PurchaseInvoices: 'OPCH',
};
const accuracy = (state: EmulatorState, key: 'PriceAccuracy' | 'TotalsAccuracy', fallback: number) => num(state.adminInfo[key]) ?? fallback;
const roundPrice = (state: EmulatorState, v: Decimal) => v.toDecimalPlaces(accuracy(state, 'PriceAccuracy', 6), Decimal.ROUND_HALF_UP);
const roundTotal = (state: EmulatorState, v: Decimal) => v.toDecimalPlaces(accuracy(state, 'TotalsAccuracy', 2), Decimal.ROUND_HALF_UP);

function vatRate(state: EmulatorState, code: string | undefined): Decimal {
  const group = code ? state.vatGroups.get(code) : undefined;
  const lines = (group?.VatGroups_Lines as Entity[] | undefined) ?? [];
  return new Decimal(num(lines[lines.length - 1]?.Rate) ?? 0);
}

/** BoCardTypes by name or stored value (C, S, L), as SAP accepts both. */
const cardTypeOf = (bp: Entity) => ({ C: 'cCustomer', S: 'cSupplier', L: 'cLid' })[String(bp.CardType)] ?? String(bp.CardType ?? 'cCustomer');

/**
 * The business partner must be of the document's side: a supplier on purchase documents, a customer (or lead) on
 * sales documents. SAP names the field and the code: `Invalid BP code [OPDN.CardCode] , 'P20609988771'` is a live
 * Service Layer's answer a public client records for a purchase document.
 */
function checkCardSide(set: DocumentSet, cardCode: string, bp: Entity) {
  const supplier = cardTypeOf(bp) === 'cSupplier';
  if (PURCHASE_SETS.has(set) !== supplier) throw business(`Invalid BP code [${TABLE_OF[set]}.CardCode] , '${cardCode}'`);
}

/**
 * A G/L account a line or a payment may post to: in the chart of accounts, a posting (active) account, not a title
 * account, not frozen. SAP's words (`G/L account is not valid [PaymentAccounts.AccountCode][line: 1]`, -10) are a live
 * Service Layer's, recorded by a public client; the field in brackets names where the account was given.
 */
export function checkAccount(state: EmulatorState, code: unknown, where: string) {
  const account = typeof code === 'string' ? state.accounts.get(code) : undefined;
  if (!account || account.ActiveAccount !== 'tYES' || account.FrozenFor === 'tYES') throw business(`G/L account is not valid ${where}`);
}

/**
 * A line's VAT group: one the company has, active, of the document's side (input tax on purchases, output tax on
 * sales). "10000180 - Invalid VAT Group" is SAP's text (SAP KBA 2693418); the line reference is the emulator's.
 */
function checkVatGroup(state: EmulatorState, set: DocumentSet, code: string, at: string) {
  const group = state.vatGroups.get(code);
  const category = PURCHASE_SETS.has(set) ? 'bovcInputTax' : 'bovcOutputTax';
  if (!group || group.Inactive === 'tYES' || group.Category !== category) throw business(`10000180 - Invalid VAT Group ${at}`);
}

/**
 * A line of a service document (DocType dDocument_Service): no item and no stock, an amount on a G/L account with its
 * VAT group. The amount is `LineTotal` (net), else a net `Price`/`UnitPrice`, else a gross `PriceAfterVAT`.
 */
function serviceLine(state: EmulatorState, set: DocumentSet, bp: Entity, input: Entity, index: number): Entity {
  const at = `[DocumentLines][line: ${index + 1}]`;
  const baseType = num(input.BaseType);
  if (baseType !== undefined && baseType !== -1) throw notSupported();
  checkAccount(state, input.AccountCode, `[DocumentLines.AccountCode][line: ${index + 1}]`);
  const vatGroup = String(input.VatGroup ?? bp.VatGroup ?? '');
  checkVatGroup(state, set, vatGroup, at);
  const rate = vatRate(state, vatGroup);
  const gross = num(input.PriceAfterVAT);
  const given = num(input.LineTotal) ?? num(input.Price) ?? num(input.UnitPrice);
  const lineTotal = roundTotal(
    state,
    given !== undefined ? new Decimal(given) : gross !== undefined ? new Decimal(gross).div(rate.div(100).plus(1)) : new Decimal(0),
  );
  const taxTotal = roundTotal(state, lineTotal.times(rate).div(100));
  return {
    ...input,
    LineNum: index,
    ItemCode: null,
    ItemDescription: input.ItemDescription ?? null,
    AccountCode: input.AccountCode,
    Price: lineTotal.toNumber(),
    UnitPrice: lineTotal.toNumber(),
    LineTotal: lineTotal.toNumber(),
    TaxTotal: taxTotal.toNumber(),
    VatGroup: vatGroup,
    TaxPercentagePerRow: rate.toNumber(),
    LineStatus: 'bost_Open',
    BaseType: -1,
    BaseEntry: null,
    BaseLine: null,
  };
}

export function createDocument(state: EmulatorState, version: SlVersion, set: DocumentSet, rawBody: unknown): Entity {
  const body = validateBody(state, version, 'Document', rawBody);
  return state.atomically(() => {
    const cardCode = String(body.CardCode ?? '');
    const bp = state.businessPartners.get(cardCode);
    if (!bp) throw business(`Invalid BP code '${cardCode}'`);
    checkCardSide(set, cardCode, bp);
    const service = body.DocType === 'dDocument_Service';
    // Goods go out and come back on item documents only.
    if (service && (set === 'DeliveryNotes' || set === 'Returns')) throw notSupported();
    const inLines = (body.DocumentLines as Entity[] | undefined) ?? [];
    if (inLines.length === 0) throw business('Cannot add document without rows');
    const currency = String(body.DocCurrency ?? bp.Currency ?? state.adminInfo.LocalCurrency);
    if (!state.currencies.has(currency)) throw business(`Currency '${currency}' is not defined [${TABLE_OF[set]}.DocCur]`);
    if (bp.Currency && bp.Currency !== '##' && bp.Currency !== currency)
      throw business(`Document currency '${currency}' differs from the business partner's currency '${String(bp.Currency)}' [${TABLE_OF[set]}.DocCur]`);

    const docEntry = state.counter(set);
    const lines: Entity[] = [];
    const touchedBases = new Set<Entity>();
    let net = new Decimal(0);
    let vat = new Decimal(0);

    inLines.forEach((input, index) => {
      if (service) {
        const line = serviceLine(state, set, bp, input, index);
        net = net.plus(line.LineTotal as number);
        vat = vat.plus(line.TaxTotal as number);
        lines.push(line);
        return;
      }
      const line: Entity = { ...input };
      const at = `[DocumentLines][line: ${index + 1}]`;
      const baseType = num(input.BaseType);
      let baseLine: Entity | undefined;
      if (baseType !== undefined && baseType !== -1) {
        if (!ALLOWED_BASES[set].includes(baseType)) throw business(`Invalid base document type ${baseType} ${at}`);
        const baseDoc = state.documents[SET_BY_OBJECT[baseType]!].get(num(input.BaseEntry) ?? -1);
        if (!baseDoc) throw notFound();
        baseLine = (baseDoc.DocumentLines as Entity[]).find((l) => l.LineNum === num(input.BaseLine));
        if (!baseLine) throw business(`Base document line ${String(input.BaseLine)} does not exist ${at}`);
        if (baseDoc.DocumentStatus !== 'bost_Open' || baseLine.LineStatus !== 'bost_Open')
          throw business(`Target document has already been closed or the base document is closed ${at}`);
        for (const k of ['ItemCode', 'ItemDescription', 'WarehouseCode', 'VatGroup'] as const) if (line[k] === undefined) line[k] = baseLine[k];
        // The base's price, unless the line is sent with its own (net, before discount, or gross).
        if (line.Price === undefined && line.UnitPrice === undefined && line.PriceAfterVAT === undefined) {
          line.Price = baseLine.Price;
          line.UnitPrice = baseLine.UnitPrice;
        }
        touchedBases.add(baseDoc);
      }
      const item = state.items.get(String(line.ItemCode ?? ''));
      if (!item) throw business(`Invalid item code '${String(line.ItemCode ?? '')}' ${at}`);
      if (item.Valid === 'tNO' || item.Frozen === 'tYES') throw business(`Item '${item.ItemCode}' is inactive ${at}`);
      const whs = String(line.WarehouseCode ?? item.DefaultWarehouse ?? '');
      if (!state.warehouses.has(whs) || !state.warehouseInfo(item, whs)) throw business(`Invalid warehouse code '${whs}' ${at}`);
      const qty = num(line.Quantity) ?? 0;
      if (qty <= 0) throw business(`Quantity must be greater than zero ${at}`);
      if (baseLine && qty > (num(baseLine.RemainingOpenQuantity) ?? 0)) throw business(`Quantity exceeds the open quantity of the base document line ${at}`);

      // Honoured on Credit Memos, where it makes a line money only.
      const withoutInventoryMovement = set === 'CreditNotes' && line.WithoutInventoryMovement === 'tYES';
      const move = movement(set, baseLine ? baseType : undefined, withoutInventoryMovement);
      const info = state.warehouseInfo(item, whs)!;
      if (move.inStock < 0 && info.InStock - qty < 0) throw business(`Quantity falls into negative inventory ${at}`);
      const wentOut = baseLine && move.batches === 'in' ? goodsOut(state, baseType!, num(input.BaseEntry)!, baseLine) : undefined;
      allocate(state, item, whs, qty, line, move.batches, wentOut);
      if (move.inStock) state.adjust(item, whs, 'InStock', move.inStock * qty);
      if (move.committed) state.adjust(item, whs, 'Committed', move.committed * qty);
      if (baseLine) {
        const remaining = (num(baseLine.RemainingOpenQuantity) ?? 0) - qty;
        state.assign(baseLine, 'RemainingOpenQuantity', remaining);
        if (remaining <= 0) state.assign(baseLine, 'LineStatus', 'bost_Close');
      }

      const purchase = PURCHASE_SETS.has(set);
      const vatGroup = String(line.VatGroup ?? (purchase ? item.PurchaseVATGroup : item.SalesVATGroup) ?? bp.VatGroup ?? '');
      if (purchase) checkVatGroup(state, set, vatGroup, at);
      const rate = vatRate(state, vatGroup);
      // SAP keeps prices to the company's price accuracy and amounts to its totals accuracy, silently
      // rounding what it is sent; a net price derived from a gross one is rounded the same way.
      const gross = num(line.PriceAfterVAT);
      const given = num(line.Price) ?? num(line.UnitPrice);
      const price =
        given !== undefined
          ? roundPrice(state, new Decimal(given))
          : gross !== undefined
            ? roundPrice(state, roundPrice(state, new Decimal(gross)).div(rate.div(100).plus(1)))
            : new Decimal(0);
      const lineTotal = roundTotal(state, price.times(qty));
      const taxTotal = roundTotal(state, lineTotal.times(rate).div(100));
      net = net.plus(lineTotal);
      vat = vat.plus(taxTotal);
      lines.push({
        ...line,
        LineNum: index,
        ItemCode: item.ItemCode,
        ItemDescription: line.ItemDescription ?? item.ItemName,
        Quantity: qty,
        Price: price.toNumber(),
        UnitPrice: price.toNumber(),
        PriceAfterVAT: price.times(rate.div(100).plus(1)).toDecimalPlaces(6).toNumber(),
        LineTotal: lineTotal.toNumber(),
        TaxTotal: taxTotal.toNumber(),
        VatGroup: vatGroup,
        TaxPercentagePerRow: rate.toNumber(),
        WarehouseCode: whs,
        LineStatus: 'bost_Open',
        RemainingOpenQuantity: qty,
        BaseType: baseLine ? baseType : -1,
        BaseEntry: baseLine ? num(input.BaseEntry) : null,
        BaseLine: baseLine ? num(input.BaseLine) : null,
        WithoutInventoryMovement: withoutInventoryMovement ? 'tYES' : 'tNO',
        BatchNumbers: line.BatchNumbers ?? [],
        SerialNumbers: line.SerialNumbers ?? [],
      });
    });

    for (const base of touchedBases) {
      if ((base.DocumentLines as Entity[]).every((l) => l.LineStatus === 'bost_Close')) state.assign(base, 'DocumentStatus', 'bost_Close');
    }

    // Freight (additional expenses) and a requested rounding are part of the document total, as in SAP.
    const expenses = ((body.DocumentAdditionalExpenses as Entity[] | undefined) ?? []).map((e, i) => {
      const rate = vatRate(state, e.VatGroup === undefined ? undefined : String(e.VatGroup));
      const grossGiven = num(e.LineGross);
      const lineTotal = roundTotal(
        state,
        num(e.LineTotal) !== undefined ? new Decimal(num(e.LineTotal)!) : new Decimal(grossGiven ?? 0).div(rate.div(100).plus(1)),
      );
      const taxSum =
        grossGiven !== undefined && num(e.LineTotal) === undefined
          ? roundTotal(state, new Decimal(grossGiven)).minus(lineTotal)
          : roundTotal(state, lineTotal.times(rate).div(100));
      net = net.plus(lineTotal);
      vat = vat.plus(taxSum);
      return {
        ...e,
        LineNum: i,
        LineTotal: lineTotal.toNumber(),
        TaxSum: taxSum.toNumber(),
        TaxPercent: rate.toNumber(),
        LineGross: lineTotal.plus(taxSum).toNumber(),
      };
    });
    const rounding = body.Rounding === 'tYES' ? roundTotal(state, new Decimal(num(body.RoundingDiffAmount) ?? 0)) : new Decimal(0);
    // Lines may be negative (a credit on a fee invoice); the document may not (the emulator's own text).
    if (net.plus(vat).plus(rounding).isNegative()) throw business(`The document total may not be negative [${TABLE_OF[set]}.DocTotal]`);

    const date = String(body.DocDate ?? today(state)).slice(0, 10);
    const doc: Entity = {
      ...body,
      DocEntry: docEntry,
      DocNum: docEntry,
      DocType: service ? 'dDocument_Service' : 'dDocument_Items',
      DocDate: date,
      DocDueDate: String(body.DocDueDate ?? date).slice(0, 10),
      TaxDate: String(body.TaxDate ?? date).slice(0, 10),
      CardCode: cardCode,
      CardName: body.CardName ?? bp.CardName,
      NumAtCard: body.NumAtCard ?? null,
      DocCurrency: currency,
      DocTotal: net.plus(vat).plus(rounding).toNumber(),
      VatSum: vat.toNumber(),
      PaidToDate: 0,
      ...(expenses.length ? { DocumentAdditionalExpenses: expenses } : {}),
      RoundingDiffAmount: rounding.toNumber(),
      Rounding: rounding.isZero() ? 'tNO' : 'tYES',
      DocumentStatus: 'bost_Open',
      Cancelled: 'tNO',
      CancelStatus: 'csNo',
      DocObjectCode: DOC_OBJECT_CODE[set],
      TransportationCode: body.TransportationCode ?? null,
      TrackingNumber: body.TrackingNumber ?? null,
      CreationDate: today(state),
      UpdateDate: today(state),
      UpdateTime: timeNow(state),
      DocTime: timeNow(state),
      DocumentLines: lines,
    };
    state.mapSet(state.documents[set], docEntry, doc);
    if (set === 'CreditNotes') reconcileWithInvoices(state, doc);
    return doc;
  });
}

/**
 * A Credit Memo copied from open Invoices is reconciled with them as it is added — SAP's internal reconciliation of
 * type "Credit Memo" (OITR.ReconType 4, SAP's database reference): each invoice's open amount falls by what the memo
 * credits on it (the whole memo, freight and rounding too, when it credits one invoice), and the memo's by as much.
 * What is settled shows in PaidToDate; a document with nothing left open closes. A memo copied from a Return, or with
 * lines of its own, stays open for a payment to apply.
 */
function reconcileWithInvoices(state: EmulatorState, memo: Entity) {
  const credited = new Map<number, Decimal>();
  for (const line of memo.DocumentLines as Entity[]) {
    if (num(line.BaseType) !== 13) continue;
    const entry = num(line.BaseEntry)!;
    credited.set(entry, (credited.get(entry) ?? new Decimal(0)).plus(num(line.LineTotal) ?? 0).plus(num(line.TaxTotal) ?? 0));
  }
  if (credited.size === 1) credited.set([...credited.keys()][0]!, new Decimal(num(memo.DocTotal) ?? 0));
  for (const [entry, amount] of credited) {
    const invoice = state.documents.Invoices.get(entry);
    if (!invoice) continue;
    const sum = Decimal.min(amount, openAmount(invoice), openAmount(memo));
    if (!sum.gt(0)) continue;
    for (const doc of [invoice, memo]) {
      const paid = new Decimal(num(doc.PaidToDate) ?? 0).plus(sum);
      state.assign(doc, 'PaidToDate', paid.toNumber());
      if (paid.gte(num(doc.DocTotal) ?? 0)) state.assign(doc, 'DocumentStatus', 'bost_Close');
    }
  }
}

/** The line that sent out the goods a line coming back is copied against, and the key its take-backs are counted under. */
interface GoodsOut {
  line: Entity;
  key: string;
}

/**
 * Where the goods a Return or Credit Memo line takes back went out: the Delivery Note line it (or the Invoice line it
 * is copied from) is based on, or an Invoice line that moved stock itself. Undefined when nothing went out through
 * the base (a Credit Memo copied from a Return: the Return took the goods back).
 */
function goodsOut(state: EmulatorState, baseType: number, baseEntry: number, baseLine: Entity): GoodsOut | undefined {
  const keyOf = (type: number, docEntry: number, line: Entity) => `${type}:${docEntry}:${String(line.LineNum)}`;
  if (baseType === 15) return { line: baseLine, key: keyOf(15, baseEntry, baseLine) };
  if (baseType !== 13) return undefined;
  if (num(baseLine.BaseType) !== 15) return { line: baseLine, key: keyOf(13, baseEntry, baseLine) };
  const deliveryEntry = num(baseLine.BaseEntry) ?? -1;
  const delivery = state.documents.DeliveryNotes.get(deliveryEntry);
  const deliveryLine = (delivery?.DocumentLines as Entity[] | undefined)?.find((l) => l.LineNum === num(baseLine.BaseLine));
  return deliveryLine ? { line: deliveryLine, key: keyOf(15, deliveryEntry, deliveryLine) } : undefined;
}

const noSuchBatchOrSerial = (name: string) => business(`Batch/serial number ${name} does not exist; specify a valid batch/serial number`);

/**
 * Checks and moves batch or serial allocations. Lines of batch- or serial-managed items that move stock need a
 * complete allocation, or B1 refuses the row with -4014. Goods coming back against a base (`wentOut`) must be
 * batches or serials that went out on it, not already taken back.
 */
function allocate(state: EmulatorState, item: ItemRecord, whs: string, qty: number, line: Entity, direction: 'out' | 'in' | 'none', wentOut?: GoodsOut) {
  if (direction === 'none') return;
  const takenBack = wentOut && (item.ManageBatchNumbers === 'tYES' || item.ManageSerialNumbers === 'tYES') ? state.takenBack(wentOut.key) : undefined;
  if (item.ManageBatchNumbers === 'tYES') {
    const batches = (line.BatchNumbers as Entity[] | undefined) ?? [];
    const total = batches.reduce((s, b) => s.plus(num(b.Quantity) ?? 0), new Decimal(0));
    if (!total.equals(qty)) throw incompleteBatch();
    for (const b of batches) {
      const name = String(b.BatchNumberProperty ?? '');
      const q = num(b.Quantity) ?? 0;
      const available = state.batchMap(item.ItemCode, whs).get(name);
      if (direction === 'out' && (available === undefined || available < q)) throw noSuchBatchOrSerial(name);
      if (wentOut && takenBack) {
        const carried = ((wentOut.line.BatchNumbers as Entity[] | undefined) ?? [])
          .filter((c) => c.BatchNumberProperty === name)
          .reduce((s, c) => s.plus(num(c.Quantity) ?? 0), new Decimal(0));
        if (carried.minus(takenBack.get(name) ?? 0).lt(q)) throw noSuchBatchOrSerial(name);
        state.mapSet(takenBack, name, round((takenBack.get(name) ?? 0) + q));
      }
      state.adjustBatch(item.ItemCode, whs, name, direction === 'out' ? -q : q);
    }
  } else if (item.ManageSerialNumbers === 'tYES') {
    const serials = (line.SerialNumbers as Entity[] | undefined) ?? [];
    if (serials.length !== qty) throw incompleteBatch();
    for (const s of serials) {
      const name = String(s.InternalSerialNumber ?? s.ManufacturerSerialNumber ?? '');
      const inStock = state.serialSet(item.ItemCode, whs).has(name);
      if (direction === 'out' ? !inStock : inStock) throw noSuchBatchOrSerial(name);
      if (wentOut && takenBack) {
        const carried = ((wentOut.line.SerialNumbers as Entity[] | undefined) ?? []).some(
          (c) => (c.InternalSerialNumber ?? c.ManufacturerSerialNumber) === name,
        );
        if (!carried || takenBack.has(name)) throw noSuchBatchOrSerial(name);
        state.mapSet(takenBack, name, 1);
      }
      state.moveSerial(item.ItemCode, whs, name, direction === 'in');
    }
  }
}

/** Close releases what an order still holds (Committed); Cancel does the same and marks it cancelled. */
export function documentAction(state: EmulatorState, set: DocumentSet, docEntry: number, action: string): void {
  const doc = state.documents[set].get(docEntry);
  if (!doc) throw notFound();
  if (action !== 'Close' && action !== 'Cancel') throw notSupported();
  if (set !== 'Orders' && action === 'Cancel') throw notSupported();
  state.atomically(() => {
    if (doc.DocumentStatus !== 'bost_Open') throw business('Document is already closed');
    const lines = doc.DocumentLines as Entity[];
    if (action === 'Cancel' && lines.some((l) => (num(l.RemainingOpenQuantity) ?? 0) < (num(l.Quantity) ?? 0))) {
      throw business('Cannot cancel a document that has been copied to a target document');
    }
    for (const line of lines) {
      const open = num(line.RemainingOpenQuantity) ?? 0;
      const item = state.items.get(String(line.ItemCode));
      if (set === 'Orders' && item && open > 0) state.adjust(item, String(line.WarehouseCode), 'Committed', -open);
      state.assign(line, 'LineStatus', 'bost_Close');
    }
    state.assign(doc, 'DocumentStatus', 'bost_Close');
    if (action === 'Cancel') {
      state.assign(doc, 'Cancelled', 'tYES');
      state.assign(doc, 'CancelStatus', 'csYes');
    }
    state.assign(doc, 'UpdateDate', today(state));
  });
}

/** PATCH on a document changes header fields only (tracking number, comments, UDFs); lines and totals stay. */
export function patchDocument(state: EmulatorState, version: SlVersion, set: DocumentSet, docEntry: number, rawBody: unknown): void {
  const doc = state.documents[set].get(docEntry);
  if (!doc) throw notFound();
  const body = validateBody(state, version, 'Document', rawBody);
  state.atomically(() => {
    for (const [k, v] of Object.entries(body)) {
      if (['DocEntry', 'DocNum', 'DocumentLines', 'DocTotal', 'VatSum', 'DocumentStatus', 'Cancelled', 'CardCode'].includes(k)) continue;
      state.assign(doc, k, v);
    }
    state.assign(doc, 'UpdateDate', today(state));
    state.assign(doc, 'UpdateTime', timeNow(state));
  });
}

/** The document a payment line settles, by its InvoiceType (name or object type); others are not emulated. */
function paidDocumentSet(invoiceType: unknown): DocumentSet {
  if (invoiceType === 'it_Invoice' || invoiceType === 13 || invoiceType === '13') return 'Invoices';
  if (invoiceType === 'it_CredItnote' || invoiceType === 14 || invoiceType === '14') return 'CreditNotes';
  throw notSupported();
}

/**
 * An Incoming Payment (ORCT) from a customer, by cash or bank transfer, settling A/R Invoices and Credit Memos.
 * What SAP checks: the business partner is a customer (a supplier on `rSupplier`); each means of payment goes to a
 * valid G/L account; every document is the payer's, not cancelled, and is applied no more than it has open — an
 * Invoice with a positive `SumApplied`, a Credit Memo with a negative one (as SAP's client shows it, and as DI API
 * clients send it); and the means of payment cover the documents applied net of credit memos, the rest of the
 * payment staying on account. Texts in brackets name the field as SAP does; where SAP's own words are not known the
 * text is the emulator's (docs/emulators/sap-b1.md).
 */
export function createPayment(state: EmulatorState, version: SlVersion, rawBody: unknown): Entity {
  const body = validateBody(state, version, 'Payment', rawBody);
  return state.atomically(() => {
    const cardCode = String(body.CardCode ?? '');
    const bp = state.businessPartners.get(cardCode);
    if (!bp) throw business(`Invalid BP code '${cardCode}'`);
    const docType = String(body.DocType ?? 'rCustomer');
    if (docType !== 'rCustomer' && docType !== 'rSupplier') throw notSupported();
    if ((cardTypeOf(bp) === 'cSupplier') !== (docType === 'rSupplier')) throw business(`Invalid BP code [ORCT.CardCode] , '${cardCode}'`);
    for (const means of ['PaymentChecks', 'PaymentCreditCards', 'PaymentAccounts'] as const)
      if (((body[means] as Entity[] | undefined) ?? []).length) throw notSupported();

    const cash = new Decimal(num(body.CashSum) ?? 0);
    const transfer = new Decimal(num(body.TransferSum) ?? 0);
    if (cash.isNegative() || transfer.isNegative()) throw business('Amounts of a payment may not be negative [ORCT.DocTotal]');
    if (cash.gt(0)) checkAccount(state, body.CashAccount, '[ORCT.CashAcct]');
    if (transfer.gt(0)) checkAccount(state, body.TransferAccount, '[ORCT.TrsfrAcct]');
    const total = cash.plus(transfer);
    if (!total.gt(0)) throw business('The payment total must be greater than zero [ORCT.DocTotal]');

    const invoices = ((body.PaymentInvoices as Entity[] | undefined) ?? []).map((pi, i): Entity => ({ ...pi, LineNum: i }));
    let applied = new Decimal(0);
    for (const pi of invoices) {
      const line = `[PaymentInvoices][line: ${Number(pi.LineNum) + 1}]`;
      const set = paidDocumentSet(pi.InvoiceType);
      const doc = state.documents[set].get(num(pi.DocEntry) ?? -1);
      if (!doc) throw notFound();
      if (doc.CardCode !== cardCode) throw business(`The document belongs to another business partner ${line}`);
      if (doc.Cancelled === 'tYES') throw business(`The document is cancelled ${line}`);
      const sum = new Decimal(num(pi.SumApplied) ?? 0);
      if (set === 'Invoices' ? !sum.gt(0) : !sum.lt(0))
        throw business(`The amount applied to ${set === 'Invoices' ? 'an invoice must be positive' : 'a credit memo must be negative'} ${line}`);
      if (sum.abs().gt(openAmount(doc))) throw business(`The amount applied exceeds the document's open amount ${line}`);
      applied = applied.plus(sum);
      const paid = new Decimal(num(doc.PaidToDate) ?? 0).plus(sum.abs());
      state.assign(doc, 'PaidToDate', paid.toNumber());
      if (paid.gte(num(doc.DocTotal) ?? 0)) state.assign(doc, 'DocumentStatus', 'bost_Close');
      pi.DocNum = doc.DocNum;
      pi.InvoiceType = set === 'Invoices' ? 'it_Invoice' : 'it_CredItnote';
    }
    if (applied.gt(total)) throw business('The documents applied exceed the payment total [ORCT.DocTotal]');

    const docEntry = state.counter('IncomingPayments');
    const date = String(body.DocDate ?? today(state)).slice(0, 10);
    const payment: Entity = {
      ...body,
      DocEntry: docEntry,
      DocNum: docEntry,
      DocType: docType,
      CardName: body.CardName ?? bp.CardName,
      DocDate: date,
      TaxDate: String(body.TaxDate ?? date).slice(0, 10),
      DocCurrency: body.DocCurrency ?? bp.Currency ?? 'GBP',
      CashSum: cash.toNumber(),
      TransferSum: transfer.toNumber(),
      ...(transfer.gt(0) ? { TransferDate: String(body.TransferDate ?? date).slice(0, 10) } : {}),
      Cancelled: 'tNO',
      CancelStatus: 'csNo',
      PaymentInvoices: invoices,
    };
    state.mapSet(state.payments, docEntry, payment);
    return payment;
  });
}

/** Cancels a payment: what it applied is open again on its documents. */
export function cancelPayment(state: EmulatorState, docEntry: number): void {
  const payment = state.payments.get(docEntry);
  if (!payment) throw notFound();
  state.atomically(() => {
    if (payment.Cancelled === 'tYES') throw business('Payment is already cancelled');
    for (const pi of (payment.PaymentInvoices as Entity[]) ?? []) {
      const doc = state.documents[paidDocumentSet(pi.InvoiceType)].get(num(pi.DocEntry) ?? -1);
      if (!doc) continue;
      const paid = new Decimal(num(doc.PaidToDate) ?? 0).minus(new Decimal(num(pi.SumApplied) ?? 0).abs());
      state.assign(doc, 'PaidToDate', paid.toNumber());
      if (paid.lt(num(doc.DocTotal) ?? 0) && doc.Cancelled !== 'tYES') state.assign(doc, 'DocumentStatus', 'bost_Open');
    }
    state.assign(payment, 'Cancelled', 'tYES');
    state.assign(payment, 'CancelStatus', 'csYes');
  });
}

export { OBJECT_TYPE };
