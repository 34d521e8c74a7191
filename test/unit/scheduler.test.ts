import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/engine';
import type { Flow } from '../../electron/engine/flows/flow';
import { tempDir, testPorts, type TestPorts } from '../support/ports';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A stock flow stand-in whose runs the test controls: each run waits `durationMs` on the fake clock. */
function scriptedFlow(ports: TestPorts, script: { durationMs?: number; fail?: () => boolean } = {}) {
  const starts: number[] = [];
  const flow: Flow = {
    name: 'stock',
    async run() {
      starts.push(ports.clock.now());
      if (script.durationMs) await ports.clock.sleep(script.durationMs);
      if (script.fail?.()) throw new Error('SAP answered 503');
      return { read: 10 };
    },
  };
  return { flow, starts };
}

function start(ports: TestPorts, flow: Flow): Engine {
  const tmp = tempDir();
  const engine = createEngine(ports, { ledgerFile: tmp.file('ledger.db'), buildFlows: () => [flow] });
  cleanups.push(tmp.cleanup, async () => {
    const stopping = engine.stop(1_000);
    await ports.clock.advance(1_000);
    await stopping;
  });
  engine.start();
  return engine;
}

describe('scheduler', () => {
  it('runs a flow at once and then on its cadence', async () => {
    const ports = testPorts({ jitterFraction: 0, flows: { stock: { enabled: true, cadenceSeconds: 120 } } as never });
    const { flow, starts } = scriptedFlow(ports);
    const t0 = ports.clock.now();
    start(ports, flow);
    await ports.clock.advance(120_000 * 3 + 1);
    expect(starts.map((t) => (t - t0) / 1000)).toEqual([0, 120, 240, 360]);
  });

  it('spreads runs by the jitter setting without drifting from the cadence on average', async () => {
    const ports = testPorts({ jitterFraction: 0.1, flows: { stock: { enabled: true, cadenceSeconds: 100 } } as never });
    let r = 0;
    ports.random = () => [0, 1][r++ % 2]!;
    const { flow, starts } = scriptedFlow(ports);
    start(ports, flow);
    await ports.clock.advance(400_000);
    const gaps = starts.slice(1).map((t, i) => (t - starts[i]!) / 1000);
    expect(gaps.slice(0, 4)).toEqual([90, 110, 90, 110]);
  });

  it('never runs a flow twice at once: run-now during a run joins it, and the next run is planned from its end', async () => {
    const ports = testPorts({ jitterFraction: 0, flows: { stock: { enabled: true, cadenceSeconds: 60 } } as never });
    const { flow, starts } = scriptedFlow(ports, { durationMs: 90_000 });
    const engine = start(ports, flow);
    await ports.clock.advance(10_000);
    expect(engine.runNow('stock')).toEqual(['stock']);
    await ports.clock.advance(10_000);
    expect(starts).toHaveLength(1);
    expect(engine.status().flows[0]!.running).toBe(true);
    await ports.clock.advance(80_000); // run ends at 90 s; next due at 150 s
    expect(starts).toHaveLength(1);
    await ports.clock.advance(50_000);
    expect(starts).toHaveLength(2);
    expect((starts[1]! - starts[0]!) / 1000).toBe(150);
  });

  it('records every run and reports drift and a failure streak that turn health to failing', async () => {
    let failing = false;
    const ports = testPorts({ jitterFraction: 0, flows: { stock: { enabled: true, cadenceSeconds: 60 } } as never });
    const { flow } = scriptedFlow(ports, { fail: () => failing });
    const engine = start(ports, flow);
    await ports.clock.advance(1);
    expect(engine.status().health).toBe('ok');
    failing = true;
    await ports.clock.advance(60_000);
    let s = engine.status().flows[0]!;
    expect(s.failureStreak).toBe(1);
    expect(engine.status().health).toBe('attention');
    await ports.clock.advance(60_000);
    s = engine.status().flows[0]!;
    expect(s.failureStreak).toBe(2);
    expect(s.driftSeconds).toBe(60);
    expect(s.lastRun?.error).toBe('SAP answered 503');
    expect(engine.status().health).toBe('failing');
    expect(ports.notifications.at(-1)).toMatchObject({ title: 'Sync failing', severity: 'critical' });
    failing = false;
    await ports.clock.advance(60_000);
    expect(engine.status().flows[0]!.failureStreak).toBe(0);
    expect(engine.status().health).toBe('ok');
    expect(ports.notifications.at(-1)?.title).toBe('Sync recovered');
    const runs = await engine.query('runs.list', { flow: 'stock' });
    expect(runs.map((r) => r.outcome)).toEqual(['succeeded', 'failed', 'failed', 'succeeded']);
    expect(runs.every((r) => r.endedAt !== null)).toBe(true);
  });

  it('does not call a run late while it works (waiting its turn at a rate limit), but does once it hangs', async () => {
    const ports = testPorts({ jitterFraction: 0, flows: { stock: { enabled: true, cadenceSeconds: 60 } } as never });
    let hold = 0;
    const flow: Flow = {
      name: 'stock',
      async run() {
        if (hold) await ports.clock.sleep(hold);
        return {};
      },
    };
    const engine = start(ports, flow);
    await ports.clock.advance(1);
    hold = 10 * 60_000;
    await ports.clock.advance(60_000); // the second run starts on time and waits
    await ports.clock.advance(100_000);
    expect(engine.status().flows[0]).toMatchObject({ running: true, driftSeconds: 0 });
    expect(engine.status().health).toBe('ok');
    await ports.clock.advance(300_000); // 6 min 40 s into the run: past its grace
    expect(engine.status().flows[0]!.driftSeconds).toBeGreaterThan(0);
    expect(engine.status().health).toBe('failing');
  });

  it('stops planning runs while paused and resumes on request', async () => {
    const ports = testPorts({ jitterFraction: 0, flows: { stock: { enabled: true, cadenceSeconds: 60 } } as never });
    const { flow, starts } = scriptedFlow(ports);
    const engine = start(ports, flow);
    await ports.clock.advance(1);
    await engine.command('engine.pause', {});
    expect(engine.status().state).toBe('paused');
    await ports.clock.advance(600_000);
    expect(starts).toHaveLength(1);
    await engine.command('engine.resume', {});
    await ports.clock.advance(1);
    expect(starts).toHaveLength(2);
  });

  it('applies a cadence changed in settings without a restart', async () => {
    const ports = testPorts({ jitterFraction: 0, flows: { stock: { enabled: true, cadenceSeconds: 600 } } as never });
    const { flow, starts } = scriptedFlow(ports);
    const engine = start(ports, flow);
    await ports.clock.advance(1);
    await engine.command('settings.update', { actor: 'Priya', patch: { flows: { stock: { cadenceSeconds: 30 } } } });
    await ports.clock.advance(90_000);
    expect(starts.length).toBe(4);
  });
});
