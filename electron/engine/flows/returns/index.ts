export { returnsFlow, type ReturnsFlow, type ReturnsFlowOptions } from './returns-flow';
export type { InvoicedOrders } from './env';
