export { settlementFlow, type SettlementFlowOptions } from './settlement-flow';
export { SettlementRepository, type CycleRow } from './repository';
export { SETTLEMENT_EXCEPTIONS, type SettlementExceptionType } from './exceptions';
export { Totals, ukMonth, totalFieldOf, classBeforeMatching } from './lines';
