export { despatchFlow, type DespatchFlowOptions } from './despatch-flow';
export { DespatchRepository } from './repository';
export { suggestCarriers, nameSimilarity, carrierWords, type CarrierSuggestion } from './suggestions';
export type { DespatchExceptionType } from './exceptions';
export { updateStamp, stampMinus } from './detect';
