import Decimal from 'decimal.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SapBusinessError } from '../../../electron/engine/connectors/sap-b1';
import { startRig, type Rig } from './harness';

describe('SAP company set-up, user-defined tables and document totals against the emulator', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.emulator.stop());
  beforeEach(() => rig.emulator.reset());

  it('reads the company’s currencies and decimals: POST in v1, GET with () in v2, and allowed under dry run', async () => {
    for (const serviceLayerVersion of ['v1', 'v2'] as const) {
      rig.emulator.clearCalls();
      const setup = await rig.connect({ serviceLayerVersion, dryRun: true }).companySetup();
      expect(setup).toEqual({ localCurrency: 'GBP', systemCurrency: 'GBP', priceDecimals: 6, totalsDecimals: 2, currencies: ['GBP', 'EUR'] });
      expect(rig.calls(serviceLayerVersion === 'v1' ? 'POST' : 'GET', 'CompanyService_GetAdminInfo')).toBe(1);
    }
  });

  it('a user-defined table: created once, its rows keyed by a unique Code (a second copy is refused with -2035), updated and deleted', async () => {
    const sap = rig.connect();
    const table = sap.userTable('JLM_LEASE');
    expect(await table.exists()).toBe(false);
    await table.create('Marketplace posting lease');
    await sap.createUserField({ TableName: '@JLM_LEASE', Name: 'Holder', Description: 'Holder', Size: 100 });
    expect(await table.exists()).toBe(true);
    expect((await table.insert({ Code: '0000000001', U_Holder: 'pc-a' })).inserted).toBe(true);
    const second = await table.insert({ Code: '0000000001', U_Holder: 'pc-b' });
    expect(second).toMatchObject({ inserted: false, row: { Code: '0000000001', U_Holder: 'pc-a' } });
    await table.update('0000000001', { U_Holder: 'pc-c' });
    await table.insert({ Code: '0000000002', U_Holder: 'pc-d' });
    expect((await table.latest(1)).map((r) => [r.Code, r.U_Holder])).toEqual([['0000000002', 'pc-d']]);
    await table.remove('0000000001');
    expect(await table.get('0000000001')).toBeUndefined();
    // A field SAP does not have on the table is refused, as SAP does.
    await expect(table.insert({ Code: '0000000003', U_Nope: 'x' })).rejects.toThrow(/U_Nope/);
  });

  it('DocTotal includes freight and the requested rounding; prices are kept to the company’s price decimals', async () => {
    const sap = rig.connect();
    const { document } = await sap.orders.create({
      CardCode: 'C-JLM',
      NumAtCard: 'T-1',
      DocumentLines: [{ ItemCode: 'SKU000001', Quantity: 3, PriceAfterVAT: new Decimal('3.33'), VatGroup: 'O1', WarehouseCode: '01' }],
      DocumentAdditionalExpenses: [{ ExpenseCode: 1, LineGross: new Decimal('3.95'), VatGroup: 'O1' }],
      Rounding: 'tYES',
      RoundingDiffAmount: new Decimal('-0.01'),
    });
    // 8.33 + 1.67 (lines) + 3.29 + 0.66 (freight) - 0.01 (rounding)
    expect(document.DocTotal.toFixed(2)).toBe('13.94');
    expect(document.VatSum.toFixed(2)).toBe('2.33');
    rig.emulator.state.adminInfo.PriceAccuracy = 2;
    const { document: rounded } = await sap.orders.create({
      CardCode: 'C-JLM',
      DocumentLines: [{ ItemCode: 'SKU000001', Quantity: 1, UnitPrice: new Decimal('10.12345'), VatGroup: 'O1', WarehouseCode: '01' }],
    });
    // SAP keeps the price it was sent to two places, silently.
    expect(rounded.DocumentLines[0]!.Price.toString()).toBe('10.12');
  });

  it('refuses a document in a currency the company, or the business partner, does not keep', async () => {
    const sap = rig.connect();
    const line = [{ ItemCode: 'SKU000001', Quantity: 1, UnitPrice: new Decimal('10'), WarehouseCode: '01' }];
    const usd = await sap.orders.create({ CardCode: 'C-JLM', DocCurrency: 'USD', DocumentLines: line }).catch((e: unknown) => e);
    expect(usd).toBeInstanceOf(SapBusinessError);
    expect((usd as SapBusinessError).sapMessage).toBe("Currency 'USD' is not defined [ORDR.DocCur]");
    const eur = await sap.orders.create({ CardCode: 'C-JLM', DocCurrency: 'EUR', DocumentLines: line }).catch((e: unknown) => e);
    expect((eur as SapBusinessError).sapMessage).toMatch(/differs from the business partner's currency 'GBP'/);
  });
});
