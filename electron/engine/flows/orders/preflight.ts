import { isSapError, type CompanySetup, type SapConnector } from '../../connectors/sap-b1';
import type { OrdersSettings } from '../../../../shared/domain/orders';
import { LEASE_FIELDS, LEASE_TABLE } from './lease';

export interface PreflightCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface PreflightReport {
  ok: boolean;
  checks: PreflightCheck[];
  /** UDFs (and the lease table) the flow needs that SAP does not have yet ("TABLE.Name"). */
  missingFields: string[];
  createdFields: string[];
  /** What the company can hold, for the checks made before each Sales Order is created. */
  limits: PostingLimits;
}

/** What SAP can hold, read from the company: values beyond these are refused before a create, never cut. */
export interface PostingLimits {
  /** Characters the order-id and line-id user-defined fields hold (null: not known). */
  orderIdLength: number | null;
  lineIdLength: number | null;
  /** The business partner's currency ('##' = any). */
  partnerCurrency: string | null;
  company: CompanySetup | null;
}

/** The user-defined fields the orders flow writes: order id on the header, line id on each row. */
export function requiredFields(settings: OrdersSettings): { TableName: string; Name: string; Description: string; Size: number }[] {
  return [
    { TableName: 'ORDR', Name: settings.udf.orderId, Description: 'Marketplace order id', Size: 50 },
    { TableName: 'RDR1', Name: settings.udf.orderLineId, Description: 'Marketplace order line id', Size: 50 },
  ];
}

const message = (e: unknown) => (isSapError(e) ? (e.sapMessage ?? e.message) : e instanceof Error ? e.message : String(e));

/**
 * Checks that the SAP company is set up for the orders flow: the business partner, the warehouses, output VAT
 * groups, the user-defined fields, the posting-lease table and the go-live cut-off. With `createFields`,
 * creates the missing fields and the lease table (an operator agreed).
 */
export async function preflight(
  sap: SapConnector,
  settings: OrdersSettings,
  options: { createFields?: boolean; dryRun?: boolean } = {},
): Promise<PreflightReport> {
  const checks: PreflightCheck[] = [];
  const limits: PostingLimits = { orderIdLength: null, lineIdLength: null, partnerCurrency: null, company: null };
  checks.push(
    settings.ordersFrom
      ? { name: 'orders-from', ok: true, detail: `orders updated since ${settings.ordersFrom}` }
      : { name: 'orders-from', ok: !!options.dryRun, detail: 'No go-live cut-off ("orders from") is set: the orders flow does not run live without it' },
  );
  try {
    const bp = await sap.businessPartner(settings.cardCode);
    const usable = bp.Valid !== 'tNO' && bp.Frozen !== 'tYES';
    limits.partnerCurrency = typeof bp.Currency === 'string' ? bp.Currency : null;
    checks.push({
      name: 'business-partner',
      ok: usable,
      detail: usable ? `${settings.cardCode} ${String(bp.CardName ?? '')}` : `${settings.cardCode} is inactive or frozen in SAP`,
    });
  } catch (e) {
    checks.push({ name: 'business-partner', ok: false, detail: `${settings.cardCode}: ${message(e)}` });
  }
  try {
    const warehouses = await sap.stockWarehouses();
    for (const code of [settings.warehouseCode, ...settings.warehousePriority.filter((w) => w !== settings.warehouseCode)]) {
      const w = warehouses.find((x) => x.code === code);
      // Allowed, but worth saying: the stock flow leaves such a warehouse out of the marketplace figure by default.
      const note =
        w && !w.nettable
          ? ' (not nettable in SAP: its stock is not offered on the marketplace unless stock settings include it)'
          : w?.dropShip
            ? ' (drop-ship in SAP: the supplier holds its stock)'
            : '';
      checks.push({
        name: `warehouse ${code}`,
        ok: !!w && w.active,
        detail: w ? `${w.code} ${w.name}${w.active ? '' : ' is inactive'}${note}` : `SAP has no warehouse ${code}`,
      });
    }
  } catch (e) {
    checks.push({ name: 'warehouse', ok: false, detail: message(e) });
  }
  try {
    const groups = await sap.outputVatGroups();
    checks.push({
      name: 'vat-groups',
      ok: groups.length > 0,
      detail: groups.map((g) => `${g.Code} ${g.rate.toString()} %`).join(', ') || 'SAP has no output VAT groups',
    });
  } catch (e) {
    checks.push({ name: 'vat-groups', ok: false, detail: message(e) });
  }
  try {
    limits.company = await sap.companySetup();
    checks.push({
      name: 'company',
      ok: true,
      detail: `currencies ${limits.company.currencies.join(', ')}; prices to ${limits.company.priceDecimals} decimal places`,
    });
  } catch (e) {
    checks.push({ name: 'company', ok: false, detail: message(e) });
  }

  const missingFields: string[] = [];
  const createdFields: string[] = [];
  const ensureField = async (field: { TableName: string; Name: string; Description: string; Size: number }, onSize?: (size: number | null) => void) => {
    const label = `${field.TableName}.U_${field.Name}`;
    try {
      const found = (await sap.userFields(field.TableName)).find((f) => f.Name === field.Name);
      if (found) {
        onSize?.(found.Size);
        checks.push({ name: `udf ${label}`, ok: true, detail: 'exists' });
      } else if (options.createFields) {
        await sap.createUserField(field);
        onSize?.(field.Size);
        createdFields.push(label);
        checks.push({ name: `udf ${label}`, ok: true, detail: 'created' });
      } else {
        missingFields.push(label);
        checks.push({ name: `udf ${label}`, ok: false, detail: 'missing: the SAP company check can create it' });
      }
    } catch (e) {
      missingFields.push(label);
      checks.push({ name: `udf ${label}`, ok: false, detail: message(e) });
    }
  };
  const [orderId, lineId] = requiredFields(settings);
  await ensureField(orderId!, (size) => (limits.orderIdLength = size));
  await ensureField(lineId!, (size) => (limits.lineIdLength = size));

  // The posting lease's own table, then its fields (a field on a user table is named on '@TABLE').
  const leaseLabel = `@${LEASE_TABLE}`;
  let leaseTable = false;
  try {
    const table = sap.userTable(LEASE_TABLE);
    leaseTable = await table.exists();
    if (!leaseTable && options.createFields) {
      await table.create('Marketplace posting lease');
      createdFields.push(leaseLabel);
      leaseTable = true;
    }
    checks.push({ name: `table ${leaseLabel}`, ok: leaseTable, detail: leaseTable ? 'exists' : 'missing: the SAP company check can create it' });
    if (!leaseTable) missingFields.push(leaseLabel);
  } catch (e) {
    missingFields.push(leaseLabel);
    checks.push({ name: `table ${leaseLabel}`, ok: false, detail: message(e) });
  }
  if (leaseTable) for (const f of LEASE_FIELDS) await ensureField({ TableName: leaseLabel, ...f });

  return { ok: checks.every((c) => c.ok), checks, missingFields, createdFields, limits };
}
