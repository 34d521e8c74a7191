export { createEngine, type Engine, type EngineOptions, type FlowDeps, type RunSummary } from './engine';
export { standardFlows } from './flows';
export type { Flow, FlowContext } from './flows/flow';
export type * from './ports';
export { systemClock, fakeClock } from './clock';
export { createLogger } from './logging';
export { createHttpClientFactory } from './net/http-client';
