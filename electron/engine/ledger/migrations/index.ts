import { m001Core } from './001-core';
import { m003Orders } from './003-orders';
import { m002Stock } from './002-stock';
import { m004Despatch } from './004-despatch';
import { m005StockReservations } from './005-stock-reservations';
import { m006StockReadPath } from './006-stock-read-path';
import { m007DespatchCarriersAndShipments } from './007-despatch-carriers-and-shipments';
import { m008QuietAlertsAndCallWindows } from './008-quiet-alerts-and-call-windows';
import { m009EngineRenovation } from './009-engine-renovation';
import { m010ReturnsAndRefunds } from './010-returns-and-refunds';
import { m011Invoicing } from './011-invoicing';
import { m012Settlement } from './012-settlement';
import { m013OneCopyOfRawOrders } from './013-one-copy-of-raw-orders';
import { m014StockSetBasedCycle } from './014-stock-set-based-cycle';
import { m017RequestStats } from './017-request-stats';
import { m018StoredOrders } from './018-stored-orders';
import { m019ExceptionGroupsIndex } from './019-exception-groups-index';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Numbered, append-only. A flow that needs tables adds the next number here. */
export const MIGRATIONS: readonly Migration[] = [
  m001Core,
  m002Stock,
  m003Orders,
  m004Despatch,
  m005StockReservations,
  m006StockReadPath,
  m007DespatchCarriersAndShipments,
  m008QuietAlertsAndCallWindows,
  m009EngineRenovation,
  m010ReturnsAndRefunds,
  m011Invoicing,
  m012Settlement,
  m013OneCopyOfRawOrders,
  m014StockSetBasedCycle,
  m017RequestStats,
  m018StoredOrders,
  m019ExceptionGroupsIndex,
];
