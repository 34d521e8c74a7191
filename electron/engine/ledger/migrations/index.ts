import { m001Core } from './001-core';
import { m003Orders } from './003-orders';
import { m002Stock } from './002-stock';
import { m004Despatch } from './004-despatch';
import { m005StockReservations } from './005-stock-reservations';
import { m007StockReadPath } from './007-stock-read-path';
import { m008DespatchCarriersAndShipments } from './008-despatch-carriers-and-shipments';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Numbered, append-only. A flow that needs tables adds the next number here. */
export const MIGRATIONS: readonly Migration[] = [m001Core, m002Stock, m003Orders, m004Despatch, m005StockReservations, m007StockReadPath, m008DespatchCarriersAndShipments];
