export { returnsFlow, type ReturnsFlow, type ReturnsFlowOptions } from './returns-flow';
