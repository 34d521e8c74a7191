import type { EmulatorState, ItemRecord, WarehouseInfo } from './state';

export interface SeedOptions {
  /** Number of items (ItemCode SKU000001…). Default 200. */
  items?: number;
  /** Number of warehouses (01, 02, …). Default 4. */
  warehouses?: number;
  /** Every Nth item is batch-managed (default 25; 0 for none). */
  batchEvery?: number;
  /** Every Nth item is serial-managed (default 40; 0 for none). Batch management wins where both apply. */
  serialEvery?: number;
  /**
   * Warehouses SAP marks as not nettable (a quarantine store), numbered after the ordinary ones; they hold stock
   * like the others. Default 0.
   */
  notNettable?: number;
  /** Drop-ship warehouses (the supplier ships), numbered after those; nothing in stock, some ordered. Default 0. */
  dropShip?: number;
  /** Seed for the generator, so runs are repeatable. */
  seed?: number;
  /**
   * Decimal places SAP keeps on prices (General Settings → Display → Prices). SAP's own default is 2; this
   * company is set up for gross marketplace prices with 6, so a net price derived from a gross one keeps its precision.
   */
  priceAccuracy?: number;
}

export const MARKETPLACE_CUSTOMER = 'C-JLM';
/** The marketplace as a supplier: it invoices the seller its commission and fees (the payout's A/P Invoice). */
export const MARKETPLACE_SUPPLIER = 'S-JLM';
/**
 * A few G/L accounts of the chart of accounts (codes are company-defined in B1; these follow a common UK layout):
 * code, name, account type, postable (ActiveAccount: `tNO` is a title account), frozen.
 */
export const GL_ACCOUNTS: [string, string, 'at_Revenues' | 'at_Expenses' | 'at_Other', boolean, boolean][] = [
  ['1200', 'Bank current account', 'at_Other', true, false],
  ['1250', 'Marketplace clearing (John Lewis)', 'at_Other', true, false],
  ['4000', 'Sales', 'at_Revenues', true, false],
  ['5000', 'Selling costs', 'at_Expenses', false, false],
  ['5400', 'Marketplace commission and fees', 'at_Expenses', true, false],
  ['5490', 'Marketplace fees (old, frozen)', 'at_Expenses', true, true],
];
export const SHIPPING_TYPES: [number, string, string][] = [
  [1, 'Royal Mail', 'https://www.royalmail.com'],
  [2, 'DPD', 'https://www.dpd.co.uk'],
  [3, 'Evri', 'https://www.evri.com'],
  [4, 'Parcelforce', 'https://www.parcelforce.com'],
  [5, 'DHL', 'https://www.dhl.com/gb-en'],
  [6, 'UPS', 'https://www.ups.com/gb'],
  [7, 'Yodel', 'https://www.yodel.co.uk'],
];
/** The currencies the company has defined (Administration → Setup → Financials → Currencies). */
export const CURRENCIES: [string, string][] = [
  ['GBP', 'Pound sterling'],
  ['EUR', 'Euro'],
];
/** UK output VAT groups (codes are company-defined in B1; these follow the common UK localisation names). */
export const VAT_GROUPS: [string, string, number][] = [
  ['O1', 'Output VAT standard rate 20%', 20],
  ['O2', 'Output VAT reduced rate 5%', 5],
  ['O0', 'Output VAT zero rate 0%', 0],
];

/** A small deterministic PRNG (mulberry32): the same seed gives the same company every time. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const itemCode = (n: number) => `SKU${String(n).padStart(6, '0')}`;
export const warehouseCode = (n: number) => String(n).padStart(2, '0');

/**
 * Fills an empty state with a company: items × warehouses with stock, batches and serials, the marketplace as customer
 * and as supplier, carriers, VAT groups and a few G/L accounts.
 */
export function seed(state: EmulatorState, options: SeedOptions = {}) {
  const itemCount = options.items ?? 200;
  const whsCount = options.warehouses ?? 4;
  const batchEvery = options.batchEvery ?? 25;
  const serialEvery = options.serialEvery ?? 40;
  const rand = prng(options.seed ?? 1);
  const today = new Date(state.now()).toISOString().slice(0, 10);

  const notNettable = options.notNettable ?? 0;
  const dropShip = options.dropShip ?? 0;
  const whsCodes: string[] = [];
  const dropShipCodes = new Set<string>();
  for (let w = 1; w <= whsCount + notNettable + dropShip; w++) {
    const code = warehouseCode(w);
    const kind = w <= whsCount ? 'ordinary' : w <= whsCount + notNettable ? 'not-nettable' : 'drop-ship';
    const name = w === 1 ? 'Main warehouse' : kind === 'not-nettable' ? `Quarantine ${code}` : kind === 'drop-ship' ? `Drop-ship ${code}` : `Warehouse ${code}`;
    whsCodes.push(code);
    if (kind === 'drop-ship') dropShipCodes.add(code);
    state.warehouses.set(code, {
      WarehouseCode: code,
      WarehouseName: name,
      Inactive: 'tNO',
      Nettable: kind === 'not-nettable' ? 'tNO' : 'tYES',
      DropShip: kind === 'drop-ship' ? 'tYES' : 'tNO',
      EnableBinLocations: 'tNO',
    });
  }
  state.adminInfo = { ...state.adminInfo, LocalCurrency: 'GBP', SystemCurrency: 'GBP', PriceAccuracy: options.priceAccuracy ?? 6, TotalsAccuracy: 2 };
  for (const [code, name] of CURRENCIES) state.currencies.set(code, { Code: code, Name: name, DocumentsCode: code });
  for (const [code, name, rate] of VAT_GROUPS) {
    state.vatGroups.set(code, {
      Code: code,
      Name: name,
      Category: 'bovcOutputTax',
      Inactive: 'tNO',
      EU: 'tNO',
      VatGroups_Lines: [{ Effectivefrom: '2011-01-04', Rate: rate }],
    });
  }
  state.vatGroups.set('I1', {
    Code: 'I1',
    Name: 'Input VAT standard rate 20%',
    Category: 'bovcInputTax',
    Inactive: 'tNO',
    EU: 'tNO',
    VatGroups_Lines: [{ Effectivefrom: '2011-01-04', Rate: 20 }],
  });
  for (const [code, name, type, postable, frozen] of GL_ACCOUNTS) {
    state.accounts.set(code, {
      Code: code,
      Name: name,
      AccountType: type,
      ActiveAccount: postable ? 'tYES' : 'tNO',
      FatherAccountKey: postable ? code.slice(0, 1) + '000' : null,
      AcctCurrency: 'GBP',
      CashAccount: code === '1200' ? 'tYES' : 'tNO',
      FrozenFor: frozen ? 'tYES' : 'tNO',
      ValidFor: 'tYES',
      Balance: 0,
    });
  }
  for (const [code, name, website] of SHIPPING_TYPES) state.shippingTypes.set(code, { Code: code, Name: name, Website: website });
  state.businessPartners.set(MARKETPLACE_CUSTOMER, {
    CardCode: MARKETPLACE_CUSTOMER,
    CardName: 'John Lewis Marketplace customers',
    CardType: 'cCustomer',
    VatGroup: 'O1',
    VatLiable: 'vLiable',
    Currency: 'GBP',
    Valid: 'tYES',
    Frozen: 'tNO',
    ShippingType: 1,
    EmailAddress: 'marketplace@example.co.uk',
    UpdateDate: today,
    UpdateTime: '09:00:00',
    CreateDate: today,
  });

  state.businessPartners.set(MARKETPLACE_SUPPLIER, {
    CardCode: MARKETPLACE_SUPPLIER,
    CardName: 'John Lewis Marketplace (commission and fees)',
    CardType: 'cSupplier',
    VatGroup: 'I1',
    VatLiable: 'vLiable',
    Currency: 'GBP',
    Valid: 'tYES',
    Frozen: 'tNO',
    UpdateDate: today,
    UpdateTime: '09:00:00',
    CreateDate: today,
  });

  for (let n = 1; n <= itemCount; n++) {
    const code = itemCode(n);
    const batch = batchEvery > 0 && n % batchEvery === 0;
    const serial = !batch && serialEvery > 0 && n % serialEvery === 0;
    const infos: WarehouseInfo[] = [];
    for (const whs of whsCodes) {
      // Serial-managed stock stays small: one serial number per unit. The supplier holds drop-ship stock.
      const inStock = dropShipCodes.has(whs) ? 0 : serial ? Math.floor(rand() * 6) : Math.floor(rand() * 120);
      infos.push({ WarehouseCode: whs, InStock: inStock, Committed: 0, Ordered: rand() < 0.1 ? Math.floor(rand() * 50) : 0, Locked: 'tNO' });
      if (batch && inStock > 0) {
        const first = Math.ceil(inStock / 2);
        const m = state.batchMap(code, whs);
        m.set(`B${n}-${whs}-1`, first);
        if (inStock - first > 0) m.set(`B${n}-${whs}-2`, inStock - first);
      }
      if (serial) {
        const s = state.serialSet(code, whs);
        for (let u = 1; u <= inStock; u++) s.add(`SN${n}-${whs}-${u}`);
      }
    }
    const vat = n % 20 === 0 ? 'O0' : n % 15 === 0 ? 'O2' : 'O1';
    const item: ItemRecord = {
      ItemCode: code,
      ItemName: `Product ${n}`,
      SalesVATGroup: vat,
      InventoryItem: 'tYES',
      SalesItem: 'tYES',
      ManageBatchNumbers: batch ? 'tYES' : 'tNO',
      ManageSerialNumbers: serial ? 'tYES' : 'tNO',
      Valid: 'tYES',
      Frozen: n % 500 === 0 ? 'tYES' : 'tNO',
      DefaultWarehouse: whsCodes[0] ?? '01',
      BarCode: String(5000000000000 + n),
      UpdateDate: today,
      UpdateTime: '09:00:00',
      CreateDate: today,
      ItemWarehouseInfoCollection: infos,
    };
    state.items.set(code, item);
    state.itemOrder.push(code);
  }
}
