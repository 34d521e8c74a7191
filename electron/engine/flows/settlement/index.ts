export { settlementFlow, type SettlementFlowOptions } from './settlement-flow';
export { SettlementRepository, type CycleRow } from './repository';
export type { SettlementExceptionType } from './exceptions';
export { Totals, ukMonth, totalFieldOf, classBeforeMatching } from './lines';
