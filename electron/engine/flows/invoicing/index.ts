export { invoicingFlow, type InvoicingFlowOptions } from './invoicing-flow';
export { invoicedOrders, type InvoicedOrders } from './invoiced-orders';
export { InvoicingRepository } from './repository';
export { planInvoice, marketplaceValueOf, freightVatGroup, type InvoicePlan, type OpenDeliveryLine } from './plan';
export { officeClock, instantOf, dailyBatchDue, nextDailyBatch, OFFICE_TIME_ZONE } from './schedule';
export type { InvoicingExceptionType } from './exceptions';
