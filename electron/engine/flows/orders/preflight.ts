import { isSapError, type SapConnector } from '../../connectors/sap-b1';
import type { OrdersSettings } from '../../../../shared/domain/orders';
import { LEASE_FIELD } from './lease';

export interface PreflightCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface PreflightReport {
  ok: boolean;
  checks: PreflightCheck[];
  /** UDFs the flow needs that SAP does not have yet ("TABLE.Name"). */
  missingFields: string[];
  createdFields: string[];
}

/** The user-defined fields the orders flow writes: order id on the header, line id on each row, the lease on the BP. */
export function requiredFields(settings: OrdersSettings): { TableName: string; Name: string; Description: string; Size: number }[] {
  return [
    { TableName: 'ORDR', Name: settings.udf.orderId, Description: 'Marketplace order id', Size: 50 },
    { TableName: 'RDR1', Name: settings.udf.orderLineId, Description: 'Marketplace order line id', Size: 50 },
    { TableName: 'OCRD', Name: LEASE_FIELD, Description: 'Orders posting lease', Size: 100 },
  ];
}

const message = (e: unknown) => (isSapError(e) ? (e.sapMessage ?? e.message) : e instanceof Error ? e.message : String(e));

/**
 * Checks that the SAP company is set up for the orders flow: the business partner, the warehouse, output VAT
 * groups and the user-defined fields. With `createFields`, creates the missing fields (an operator agreed).
 */
export async function preflight(sap: SapConnector, settings: OrdersSettings, options: { createFields?: boolean } = {}): Promise<PreflightReport> {
  const checks: PreflightCheck[] = [];
  try {
    const bp = await sap.businessPartner(settings.cardCode);
    const usable = bp.Valid !== 'tNO' && bp.Frozen !== 'tYES';
    checks.push({ name: 'business-partner', ok: usable, detail: usable ? `${settings.cardCode} ${String(bp.CardName ?? '')}` : `${settings.cardCode} is inactive or frozen in SAP` });
  } catch (e) {
    checks.push({ name: 'business-partner', ok: false, detail: `${settings.cardCode}: ${message(e)}` });
  }
  try {
    const warehouse = (await sap.warehouses()).find((w) => w.WarehouseCode === settings.warehouseCode);
    checks.push({ name: 'warehouse', ok: !!warehouse && warehouse.Inactive !== 'tYES', detail: warehouse ? `${warehouse.WarehouseCode} ${warehouse.WarehouseName}` : `SAP has no warehouse ${settings.warehouseCode}` });
  } catch (e) {
    checks.push({ name: 'warehouse', ok: false, detail: message(e) });
  }
  try {
    const groups = await sap.outputVatGroups();
    checks.push({ name: 'vat-groups', ok: groups.length > 0, detail: groups.map((g) => `${g.Code} ${g.rate.toString()} %`).join(', ') || 'SAP has no output VAT groups' });
  } catch (e) {
    checks.push({ name: 'vat-groups', ok: false, detail: message(e) });
  }
  const missingFields: string[] = [];
  const createdFields: string[] = [];
  for (const field of requiredFields(settings)) {
    const label = `${field.TableName}.U_${field.Name}`;
    try {
      const existing = await sap.userFields(field.TableName);
      if (existing.some((f) => f.Name === field.Name)) {
        checks.push({ name: `udf ${label}`, ok: true, detail: 'exists' });
        continue;
      }
      if (options.createFields) {
        await sap.createUserField(field);
        createdFields.push(label);
        checks.push({ name: `udf ${label}`, ok: true, detail: 'created' });
      } else {
        missingFields.push(label);
        checks.push({ name: `udf ${label}`, ok: false, detail: 'missing: the preflight can create it' });
      }
    } catch (e) {
      missingFields.push(label);
      checks.push({ name: `udf ${label}`, ok: false, detail: message(e) });
    }
  }
  return { ok: checks.every((c) => c.ok), checks, missingFields, createdFields };
}
