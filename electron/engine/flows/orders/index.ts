export { ordersFlow, type OrdersFlowOptions, type AvailabilityLookup } from './orders-flow';
export { OrdersRepository } from './repository';
export { preflight, requiredFields } from './preflight';
export { buildSalesOrder, sapLineTotals, numAtCardOf, addressExtension } from './draft';
export { decideAcceptance } from './acceptance';
export { resolveVatGroup } from './mapping';
export { sapCountryCode } from './countries';
