import Decimal from 'decimal.js';
import { business, incompleteBatch, notFound, notSupported, type SlVersion } from './errors';
import { DOC_OBJECT_CODE, OBJECT_TYPE, round, type DocumentSet, type EmulatorState, type Entity, type ItemRecord } from './state';
import { validateBody } from './validate';

/** Which documents a line of each set may be copied from (BaseType), as B1's document flow allows. */
const ALLOWED_BASES: Record<DocumentSet, number[]> = { Orders: [], DeliveryNotes: [17], Returns: [15], Invoices: [17, 15], CreditNotes: [13, 16] };
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
  }
}

const today = (state: EmulatorState) => new Date(state.now()).toISOString().slice(0, 10);
const timeNow = (state: EmulatorState) => new Date(state.now()).toISOString().slice(11, 19);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : undefined;

/** The header table of each document set, as SAP names it in its messages ([ORDR.DocCur]). */
const TABLE_OF: Record<DocumentSet, string> = { Orders: 'ORDR', DeliveryNotes: 'ODLN', Returns: 'ORDN', CreditNotes: 'ORIN', Invoices: 'OINV' };
const accuracy = (state: EmulatorState, key: 'PriceAccuracy' | 'TotalsAccuracy', fallback: number) => num(state.adminInfo[key]) ?? fallback;
const roundPrice = (state: EmulatorState, v: Decimal) => v.toDecimalPlaces(accuracy(state, 'PriceAccuracy', 6), Decimal.ROUND_HALF_UP);
const roundTotal = (state: EmulatorState, v: Decimal) => v.toDecimalPlaces(accuracy(state, 'TotalsAccuracy', 2), Decimal.ROUND_HALF_UP);

function vatRate(state: EmulatorState, code: string | undefined): Decimal {
  const group = code ? state.vatGroups.get(code) : undefined;
  const lines = (group?.VatGroups_Lines as Entity[] | undefined) ?? [];
  return new Decimal(num(lines[lines.length - 1]?.Rate) ?? 0);
}

export function createDocument(state: EmulatorState, version: SlVersion, set: DocumentSet, rawBody: unknown): Entity {
  const body = validateBody(state, version, 'Document', rawBody);
  return state.atomically(() => {
    const cardCode = String(body.CardCode ?? '');
    const bp = state.businessPartners.get(cardCode);
    if (!bp) throw business(`Invalid BP code '${cardCode}'`);
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

      const vatGroup = String(line.VatGroup ?? item.SalesVATGroup ?? bp.VatGroup ?? '');
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

    const date = String(body.DocDate ?? today(state)).slice(0, 10);
    const doc: Entity = {
      ...body,
      DocEntry: docEntry,
      DocNum: docEntry,
      DocType: 'dDocument_Items',
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
    return doc;
  });
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

export function createPayment(state: EmulatorState, version: SlVersion, rawBody: unknown): Entity {
  const body = validateBody(state, version, 'Payment', rawBody);
  return state.atomically(() => {
    const cardCode = String(body.CardCode ?? '');
    if (!state.businessPartners.has(cardCode)) throw business(`Invalid BP code '${cardCode}'`);
    const invoices = (body.PaymentInvoices as Entity[] | undefined) ?? [];
    for (const pi of invoices) {
      const set: DocumentSet = pi.InvoiceType === 'it_CredItnote' ? 'CreditNotes' : 'Invoices';
      const inv = state.documents[set].get(num(pi.DocEntry) ?? -1);
      if (!inv) throw notFound();
      const paid = new Decimal(num(inv.PaidToDate) ?? 0).plus(num(pi.SumApplied) ?? 0);
      state.assign(inv, 'PaidToDate', paid.toNumber());
      if (paid.gte(num(inv.DocTotal) ?? 0)) state.assign(inv, 'DocumentStatus', 'bost_Close');
    }
    const docEntry = state.counter('IncomingPayments');
    const payment: Entity = {
      ...body,
      DocEntry: docEntry,
      DocNum: docEntry,
      DocType: body.DocType ?? 'rCustomer',
      DocDate: String(body.DocDate ?? today(state)).slice(0, 10),
      DocCurrency: body.DocCurrency ?? 'GBP',
      Cancelled: 'tNO',
      PaymentInvoices: invoices,
    };
    state.mapSet(state.payments, docEntry, payment);
    return payment;
  });
}

export function cancelPayment(state: EmulatorState, docEntry: number): void {
  const payment = state.payments.get(docEntry);
  if (!payment) throw notFound();
  state.atomically(() => {
    if (payment.Cancelled === 'tYES') throw business('Payment is already cancelled');
    for (const pi of (payment.PaymentInvoices as Entity[]) ?? []) {
      const set: DocumentSet = pi.InvoiceType === 'it_CredItnote' ? 'CreditNotes' : 'Invoices';
      const inv = state.documents[set].get(num(pi.DocEntry) ?? -1);
      if (!inv) continue;
      state.assign(inv, 'PaidToDate', new Decimal(num(inv.PaidToDate) ?? 0).minus(num(pi.SumApplied) ?? 0).toNumber());
      state.assign(inv, 'DocumentStatus', 'bost_Open');
    }
    state.assign(payment, 'Cancelled', 'tYES');
  });
}

export { OBJECT_TYPE };
