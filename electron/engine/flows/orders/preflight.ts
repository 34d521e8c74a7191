import { isSapFailure, type CompanySetup, type Sap } from '../../connectors/ports/sap';
import type { OrdersSettings } from '../../../../shared/domain/orders';

export interface PreflightCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface PreflightReport {
  ok: boolean;
  checks: PreflightCheck[];
  /** Fields (and the lease table) the flow needs that SAP does not have yet, as SAP names them. */
  missingFields: string[];
  createdFields: string[];
  /** What the company can hold, for the checks made before each Sales Order is created. */
  limits: PostingLimits;
}

/** What SAP can hold, read from the company: values beyond these are refused before a create, never cut. */
export interface PostingLimits {
  /** Characters the marketplace order id and line id fields hold (null: not known). */
  orderIdLength: number | null;
  lineIdLength: number | null;
  /** The fields as SAP names them (from the connector) for the message when a value is too long. */
  orderIdField: string | null;
  lineIdField: string | null;
  /** The business partner's currency ('##' = any). */
  partnerCurrency: string | null;
  company: CompanySetup | null;
}

const message = (e: unknown) => (isSapFailure(e) ? (e.sapMessage ?? e.message) : e instanceof Error ? e.message : String(e));

/**
 * Checks that the SAP company is set up for the orders flow: the go-live cut-off, the business partner, the
 * warehouses, output VAT groups, the company's currencies and decimals, and the fields and lease table the console
 * writes. With `createFields`, creates those missing (an operator agreed).
 */
export async function preflight(sap: Sap, settings: OrdersSettings, options: { createFields?: boolean; dryRun?: boolean } = {}): Promise<PreflightReport> {
  const checks: PreflightCheck[] = [];
  const limits: PostingLimits = { orderIdLength: null, lineIdLength: null, orderIdField: null, lineIdField: null, partnerCurrency: null, company: null };
  checks.push(
    settings.ordersFrom
      ? { name: 'orders-from', ok: true, detail: `orders updated since ${settings.ordersFrom}` }
      : { name: 'orders-from', ok: !!options.dryRun, detail: 'No go-live cut-off ("orders from") is set: the orders flow does not run live without it' },
  );
  try {
    const customer = await sap.company.customer(settings.cardCode);
    limits.partnerCurrency = customer.currency;
    checks.push({
      name: 'business-partner',
      ok: customer.active,
      detail: customer.active ? `${settings.cardCode} ${customer.name}` : `${settings.cardCode} is inactive or frozen in SAP`,
    });
  } catch (e) {
    checks.push({ name: 'business-partner', ok: false, detail: `${settings.cardCode}: ${message(e)}` });
  }
  try {
    const warehouses = await sap.company.warehouses();
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
    const groups = await sap.company.outputVatGroups();
    checks.push({
      name: 'vat-groups',
      ok: groups.length > 0,
      detail: groups.map((g) => `${g.code} ${g.rate.toString()} %`).join(', ') || 'SAP has no output VAT groups',
    });
  } catch (e) {
    checks.push({ name: 'vat-groups', ok: false, detail: message(e) });
  }
  try {
    limits.company = await sap.company.setup();
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
  for (const field of await sap.company.consoleFields({ create: !!options.createFields })) {
    const kind = field.purpose === 'lease-table' ? 'table' : 'udf';
    if (field.state === 'created') createdFields.push(field.label);
    // Fields only finance needs are created with the others but never hold up orders.
    if (field.usedBy === 'finance') {
      if (field.state !== 'exists' && field.state !== 'created')
        checks.push({
          name: `${kind} ${field.label}`,
          ok: true,
          detail: `${field.state === 'missing' ? 'missing' : (field.error ?? 'could not be read')}: needed by returns and invoicing, not by orders`,
        });
      else checks.push({ name: `${kind} ${field.label}`, ok: true, detail: field.state });
      continue;
    }
    if (field.state === 'missing' || field.state === 'failed') missingFields.push(field.label);
    if (field.purpose === 'marketplace-order-id') [limits.orderIdLength, limits.orderIdField] = [field.size, field.label];
    if (field.purpose === 'marketplace-line-id') [limits.lineIdLength, limits.lineIdField] = [field.size, field.label];
    const detail =
      field.state === 'missing'
        ? 'missing: the SAP company check can create it'
        : field.state === 'failed'
          ? (field.error ?? 'could not be read')
          : field.state;
    checks.push({ name: `${kind} ${field.label}`, ok: field.state === 'exists' || field.state === 'created', detail });
  }
  return { ok: checks.every((c) => c.ok), checks, missingFields, createdFields, limits };
}
