// The engine's only way in for its hosts (electron/host, electron/main, electron/preload) and the benchmark runner:
// lint (eslint/zones.js) and the engine's own TypeScript project (tsconfig.engine.json) hold that line.
export { createEngine, type Engine, type EngineOptions, type FlowDeps, type RunSummary } from './engine';
export type { EngineEventListener } from './events';
export { standardFlows } from './flows';
export type { Flow, FlowContext } from './flows/flow';
export type * from './ports';
export { systemClock, fakeClock } from './clock';
export { createLogger } from './logging';
export { consoleContentType, consoleCsp } from './console-policy';
export { ensurePrivateDir, ensurePrivateFile, ledgerFiles, makePrivate, modeOf, writePrivateFile, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-files';
export { createHttpClientFactory } from './net/http-client';
export { fetchPresentedCertificate } from './net/tls-pin';
export { ledgerRuntimeProblem, UnsupportedRuntimeError } from './ledger/runtime';
export {
  backupFileName,
  backupLedgerFile,
  BackupError,
  listBackups,
  restoreLedger,
  RestoreError,
  type BackupResult,
  type RestoreResult,
} from './ledger/backup';
export { LedgerDamagedError } from './ledger/integrity';
export { statusReport, type StatusReport } from './status-report';
export {
  connectEngineProcess,
  inProcessClient,
  type ContractEndpoint,
  type EngineChannel,
  type EngineClient,
  type EngineProcess,
  type HostPorts,
} from './process/client';
export { belowNormalPriority, startEngineProcess, ENGINE_ENTRY, ENGINE_HEAP_FLAGS, type NodeEngineOptions } from './process/node';
export type { EngineProcessInit, FromEngine, ToEngine } from './process/protocol';
