import * as discovery from './discovery';
import * as finance from './finance';
import type { Ctx, Reply } from './http';
import * as offers from './offers';
import * as orders from './orders';
import * as refunds from './refunds';
import * as returns from './returns';
import * as shipments from './shipments';
import * as stock from './stock';

export interface Route {
  operation: string;
  method: string;
  pattern: RegExp;
  keys: string[];
  handle: (ctx: Ctx) => Reply;
  /** V01 declares no security. */
  public?: boolean;
}

function route(operation: string, method: string, path: string, handle: (ctx: Ctx) => Reply, isPublic = false): Route {
  const keys: string[] = [];
  const pattern = new RegExp(
    `^${path.replace(/\{(\w+)\}/g, (_m, k: string) => {
      keys.push(k);
      return '([^/]+)';
    })}$`,
  );
  return { operation, method, pattern, keys, handle, public: isPublic };
}

/** The Mirakl seller operations the emulator serves (order matters: fixed paths before templated ones). */
export const ROUTES: Route[] = [
  route('OR11', 'GET', '/api/orders', orders.listOrders),
  route('OR28', 'PUT', '/api/orders/refund', refunds.refund),
  route('OR30', 'PUT', '/api/orders/cancel', orders.cancelLines),
  route('OR21', 'PUT', '/api/orders/{order_id}/accept', orders.acceptOrder),
  route('OR23', 'PUT', '/api/orders/{order_id}/tracking', orders.setTracking),
  route('OR24', 'PUT', '/api/orders/{order_id}/ship', orders.confirmShipment),
  route('OR29', 'PUT', '/api/orders/{order_id}/cancel', orders.cancelOrder),
  route('SH21', 'GET', '/api/shipping/carriers', discovery.carriers),
  route('ST01', 'POST', '/api/shipments', shipments.createShipments),
  route('ST11', 'GET', '/api/shipments', shipments.listShipments),
  route('ST23', 'POST', '/api/shipments/tracking', shipments.setShipmentTracking),
  route('ST24', 'PUT', '/api/shipments/ship', shipments.shipShipments),
  route('STO01', 'POST', '/api/offers/stock/imports', stock.createStockImport),
  route('STO02', 'GET', '/api/offers/stock/imports/{import_id}/status', stock.stockImportStatus),
  route('STO03', 'GET', '/api/offers/stock/imports/{import_id}/error_report', stock.stockImportErrorReport),
  route('OF21', 'GET', '/api/offers', offers.listOffers),
  route('OF52', 'POST', '/api/offers/export/async', offers.startExport),
  route('OF53', 'GET', '/api/offers/export/async/status/{tracking_id}', offers.exportStatus),
  route('OF54', 'GET', '/api/offers/export/async/file/{tracking_id}', offers.exportFile),
  route('RT11', 'GET', '/api/returns', returns.listReturns),
  route('RT21', 'PUT', '/api/returns/accept', returns.acceptReturns),
  route('RT25', 'PUT', '/api/returns/receive', returns.receiveReturns),
  route('TL02', 'GET', '/api/sellerpayment/transactions_logs', finance.listTransactions),
  route('SBC11', 'GET', '/api/seller-billing-cycles', finance.listBillingCycles),
  route('IV01', 'GET', '/api/invoices', finance.listInvoices),
  route('A01', 'GET', '/api/account', discovery.account),
  route('PC01', 'GET', '/api/platform/configuration', discovery.platformConfiguration),
  route('RE02', 'GET', '/api/reasons/{reason_type}', discovery.reasons),
  route('V01', 'GET', '/api/version', discovery.version, true),
];

export function match(method: string, path: string): { route: Route; params: Record<string, string> } | { pathKnown: boolean } {
  let pathKnown = false;
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    pathKnown = true;
    if (r.method !== method) continue;
    const params: Record<string, string> = {};
    r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1]!)));
    return { route: r, params };
  }
  return { pathKnown };
}
