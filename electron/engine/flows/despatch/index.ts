export { despatchFlow, type DespatchFlowOptions } from './despatch-flow';
export { DespatchRepository } from './repository';
export { suggestCarriers, nameSimilarity, carrierWords, type CarrierSuggestion } from './suggestions';
export { DESPATCH_EXCEPTIONS, type DespatchExceptionType } from './exceptions';
export { updateStamp, stampMinus } from './detect';
