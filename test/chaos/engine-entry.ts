/**
 * The chaos suite's engine process: the product's engine-process module (electron/engine/process/entry.ts) under
 * child_process.fork, as the headless host runs it, with the clock and the ledger's disk under the harness's control
 * (engine-controls.ts). Nothing else differs from the product's engine process.
 */
import { installChaosControls } from './engine-controls';

installChaosControls();
await import('../../electron/engine/process/entry');
