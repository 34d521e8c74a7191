import { afterEach, describe, expect, it } from 'vitest';
import { constants, getPriority } from 'node:os';
import path from 'node:path';
import { startEngineProcess, type EngineProcess, type HostPorts } from '../../electron/engine';
import { memoryLogger } from '../../electron/engine/logging';
import { HostConfigSchema } from '../../electron/host/config';
import { startHost, type Host } from '../../electron/host/run-host';
import type { EventName } from '../../shared/contract';
import type { Notification } from '../../electron/engine/ports';
import type { ProbeOptions } from '../support/engine-process-flows';
import { memorySecrets, memorySettings, tempDir } from '../support/ports';

/**
 * The engine in its own process: the same engine-process module the Electron shell runs as a utility process, here
 * under child_process.fork (the headless host's way) and a worker thread, talking the contract over its port, with
 * the host's settings, secrets and notifications behind calls back to the host.
 */
const FLOWS = path.resolve(import.meta.dirname, '../support/engine-process-flows.ts');
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function hostPorts(password: string) {
  const notifications: Notification[] = [];
  const ports: HostPorts = {
    settings: memorySettings({ flows: { health: { enabled: true, cadenceSeconds: 3600 } } as never }),
    secrets: memorySecrets({ 'sap.password': password }),
    notifier: { notify: (n) => void notifications.push(n) },
    logger: memoryLogger(),
  };
  return { ports, notifications };
}

async function engineIn(mode: 'child' | 'worker', host: HostPorts, options: ProbeOptions = {}): Promise<EngineProcess> {
  const tmp = tempDir(`engine-${mode}-`);
  cleanups.push(tmp.cleanup);
  const engine = await startEngineProcess(
    { ledgerFile: tmp.file('ledger.db'), log: { level: 'info', file: tmp.file('engine.log') }, flows: { module: FLOWS, options } },
    host,
    { mode },
  );
  cleanups.push(() => engine.stop(1_000));
  return engine;
}

describe.each(['child', 'worker'] as const)('the engine process (%s)', (mode) => {
  it('answers the contract, calls back for secrets, sends events and notifications, keeps settings in the host', async () => {
    const { ports, notifications } = hostPorts('wrong');
    const engine = await engineIn(mode, ports);
    const events: EventName[] = [];
    engine.subscribe((name) => events.push(name));

    expect(await engine.runNow('health')).toEqual(['health']);
    await engine.idle();
    // The flow asked the host for the SAP password (wrong), raised a critical exception, and a person heard of it.
    expect((await engine.status()).flows.map((f) => [f.flow, f.lastRun?.outcome])).toEqual([['health', 'failed']]);
    expect(notifications).toEqual([
      {
        title: 'Connection failed: SAP Business One',
        body: 'SAP refused the password',
        severity: 'critical',
        address: expect.stringMatching(/^#\/exceptions\/\d+$/),
      },
    ]);
    expect(events).toEqual(expect.arrayContaining(['status.changed', 'exception.changed', 'run.finished']));
    const open = await engine.query('exceptions.list', { state: 'open' });
    expect(open.rows.map((e) => e.summary)).toEqual(['SAP refused the password']);

    // The password is set right in the host; the next run reads it from there.
    await ports.secrets.set('sap.password', 'manager');
    expect(await engine.runNow('health')).toEqual(['health']);
    await engine.idle();
    expect((await engine.query('runs.list', { flow: 'health' })).map((r) => r.outcome)).toEqual(['succeeded', 'failed']);

    // A settings change from a console is kept by the host's store, and the engine works from it.
    const updated = await engine.command('settings.update', { patch: { dryRun: true }, actor: 'Priya Shah' });
    expect(updated.dryRun).toBe(true);
    expect(ports.settings.get().dryRun).toBe(true);
    expect((await engine.status()).dryRun).toBe(true);

    // Refusals cross the port as the contract's own errors, with their code.
    await expect(engine.query('runs.list', { flow: 'payouts' })).rejects.toMatchObject({ name: 'ContractError', code: 'bad-payload' });
    await expect(engine.command('engine.runNow', { flow: 'stock' })).rejects.toMatchObject({ name: 'ContractError', code: 'failed' });

    // The lifecycle crosses too.
    await engine.start();
    expect((await engine.status()).state).toBe('running');
    await engine.pause();
    expect((await engine.status()).state).toBe('paused');

    await engine.stop(1_000);
    expect(await engine.exited).toBe(0);
  });
});

describe('an engine process that ends on its own', () => {
  it('fails the calls waiting on it and tells the host, which logs it', async () => {
    const { ports } = hostPorts('manager');
    const engine = await engineIn('child', ports, { blockMs: 5_000 });
    let lost: number | null | undefined;
    engine.onUnexpectedExit((code) => (lost = code));
    await engine.runNow('health');
    const waiting = engine.idle();
    process.kill(engine.pid!, 'SIGKILL');
    await expect(waiting).rejects.toThrow(/The engine process ended/);
    await engine.exited;
    expect(lost).toBeNull();
    await expect(engine.status()).rejects.toThrow(/has ended/);
    expect((ports.logger as ReturnType<typeof memoryLogger>).lines.map((l) => l.message)).toContain('The engine process ended without being asked to');
  });
});

describe('the headless host', () => {
  let host: Host | undefined;
  afterEach(async () => {
    await host?.stop();
    host = undefined;
  });

  it('serves the console while the engine is busy (a run that holds its thread for seconds), the engine giving way for CPU', async () => {
    const tmp = tempDir('host-busy-');
    cleanups.push(tmp.cleanup);
    const config = { ...HostConfigSchema.parse({ settings: { flows: { health: { enabled: true, cadenceSeconds: 3600 } } } }), dataDir: tmp.dir };
    host = await startHost({
      config,
      serveConsole: true,
      secrets: memorySecrets({ 'sap.password': 'manager' }),
      flows: { module: FLOWS, options: { blockMs: 3_000 } },
    });
    const order: string[] = [];
    const running = new Promise<void>((resolve) =>
      host!.engine.subscribe((name, payload) => {
        if (name === 'status.changed' && (payload as { flows: { running: boolean }[] }).flows[0]?.running) resolve();
        if (name === 'run.finished') order.push('run finished');
      }),
    );
    await host.engine.runNow('health');
    await running;
    const page = await fetch(host.server!.consoleUrl);
    order.push(`console answered ${page.status}`);
    await host.engine.idle();
    expect(order).toEqual(['console answered 200', 'run finished']);
    const engineProcess = host.engine as EngineProcess;
    expect(engineProcess.pid).not.toBe(process.pid);
    // Short of CPU, the computer runs the console's process first.
    expect(getPriority(engineProcess.pid)).toBe(constants.priority.PRIORITY_BELOW_NORMAL);
    await host.stop();
    expect(await engineProcess.exited).toBe(0);
    host = undefined;
  });
});
