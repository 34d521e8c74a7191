import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/engine/engine';
import type { Flow } from '../../electron/engine/flows/flow';
import { tempDir, testPorts } from '../support/ports';

/** A flow that holds the event loop in one piece, as a whole-catalogue step done in one go would. */
function blockingFlow(blockMs: number): Flow {
  return {
    name: 'stock',
    async run() {
      // Busy for blockMs of this thread's own CPU time (not the clock's: on a busy machine the clock runs on while
      // others have the CPU), so the block is the engine's own work however loaded the machine is.
      const start = process.threadCpuUsage();
      const cpuMs = () => {
        const used = process.threadCpuUsage(start);
        return (used.user + used.system) / 1000;
      };
      while (cpuMs() < blockMs) {
        // busy: nothing else in the process gets a turn
      }
      return {};
    },
  };
}

/** Lets the event-loop monitor see the loop turn a few times. */
const turns = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('engine self-diagnostics', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('reports the engine process’s memory and the longest time its event loop was held, since start, in the last hour and since a reset', async () => {
    const ports = testPorts({ flows: { stock: { enabled: true, cadenceSeconds: 300 } } as never });
    const engine = createEngine(ports, { ledgerFile: tmp.file('diagnostics.db'), buildFlows: () => [blockingFlow(300)] });
    await turns(50);
    const before = await engine.query('engine.diagnostics', {});
    expect(before.eventLoop.maxBlockMs).toBeLessThan(250);
    expect(before.memory.rssMb).toBeGreaterThan(0);
    expect(before.memory.peakRssMb).toBeGreaterThanOrEqual(before.memory.rssMb);

    await engine.runOnce();
    // Memory the process touched and let go still counts in its peak.
    const whileHeld = await (async () => {
      const held = Buffer.alloc(200 * 1_048_576, 1);
      const rss = (await engine.query('engine.diagnostics', {})).memory.rssMb;
      return held.length > 0 ? rss : 0;
    })();
    await turns(50);

    const after = await engine.query('engine.diagnostics', {});
    expect(after.eventLoop.maxBlockMs).toBeGreaterThanOrEqual(250);
    expect(after.eventLoop.maxBlockLastHourMs).toBeGreaterThanOrEqual(250);
    expect(whileHeld).toBeGreaterThanOrEqual(before.memory.rssMb + 150);
    expect(after.memory.peakRssMb).toBeGreaterThanOrEqual(whileHeld);
    expect(after.memory.peakRssLastHourMb).toBeGreaterThanOrEqual(whileHeld);
    expect(Date.parse(after.since)).toBeLessThanOrEqual(Date.parse(after.measuredAt));
    expect(after.sinceReset.maxBlockMs).toBeGreaterThanOrEqual(250);
    // The engine's own work held the loop (a busy loop, not a wait for the CPU): it counts as a block of its own work.
    expect(after.eventLoop.maxWorkMs).toBeGreaterThanOrEqual(200);
    expect(after.sinceReset.maxWorkMs).toBeGreaterThanOrEqual(200);

    // After a reset the block is still the longest since start, but not since the reset.
    await engine.command('engine.diagnostics.reset', {});
    await turns(50);
    const reset = await engine.query('engine.diagnostics', {});
    expect(reset.eventLoop.maxBlockMs).toBeGreaterThanOrEqual(250);
    expect(reset.sinceReset.maxBlockMs).toBeLessThan(250);
    expect(reset.sinceReset.maxWorkMs).toBeLessThan(200);
    expect(reset.eventLoop.maxWorkMs).toBeGreaterThanOrEqual(200);
    expect(Date.parse(reset.sinceReset.at)).toBeGreaterThan(Date.parse(after.measuredAt) - 1);
    expect(reset.sinceReset.peakRssMb).toBeLessThan(after.memory.peakRssMb + 1);
    await engine.stop();
  });
});
