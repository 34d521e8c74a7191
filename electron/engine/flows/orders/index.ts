export { ordersFlow, type OrdersFlowOptions, type AvailabilityLookup } from './orders-flow';
export { OrdersRepository } from './repository';
export { preflight } from './preflight';
export { buildSalesOrder, sapLineTotals, numAtCardOf, postalAddressOf } from './draft';
export { decideAcceptance } from './acceptance';
export { resolveVatGroup } from './mapping';
export { sapCountryCode } from './countries';
