import type { LineState, OrderState } from '../../connectors/ports/marketplace';

/** Debited: the marketplace lets the order ship (or has shipped it), so SAP may get its Sales Order. */
export const DEBITED_STATES: readonly OrderState[] = ['shipping', 'shipped', 'to-collect', 'received', 'refunding'];
export const ENDED_STATES: readonly OrderState[] = ['cancelled', 'refused'];
/** Already fulfilled when first seen: before the go-live cut-off such an order is history, not work. */
export const FULFILLED_STATES: readonly OrderState[] = ['shipped', 'received', 'closed', 'refunding'];
/** Lines the marketplace no longer expects anyone to ship. */
export const LINE_GONE: readonly LineState[] = ['refused', 'cancelled'];
