import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent, IpcRendererEvent } from 'electron';
import { createEngine, type Engine } from '../../electron/engine/engine';
import { healthFlow } from '../../electron/engine/flows/health/health-flow';
import { registerIpcRouter, type IpcMainLike } from '../../electron/main/ipc-router';
import { buildConsoleApi } from '../../electron/preload/api';
import { IPC_CHANNELS } from '../../shared/contract';
import { tempDir, testPorts } from '../support/ports';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

/** ipcMain and ipcRenderer joined in memory, with the sender frame the test chooses. */
function fakeIpc() {
  const handlers = new Map<string, Handler>();
  const rendererListeners: Array<(e: IpcRendererEvent, ...args: unknown[]) => void> = [];
  let frame: { url: string; parent: unknown } = { url: 'app://console/index.html', parent: null };
  const main: IpcMainLike = { handle: (c, l) => void handlers.set(c, l), removeHandler: (c) => void handlers.delete(c) };
  const renderer = {
    invoke: async (channel: string, ...args: unknown[]) => handlers.get(channel)!({ senderFrame: frame } as unknown as IpcMainInvokeEvent, ...args),
    on: (_channel: string, l: (e: IpcRendererEvent, ...args: unknown[]) => void) => void rendererListeners.push(l),
  };
  return {
    main,
    renderer,
    setFrame: (f: { url: string; parent: unknown }) => (frame = f),
    emit: (...args: unknown[]) => rendererListeners.forEach((l) => l({} as IpcRendererEvent, ...args)),
  };
}

describe('IPC router and preload API', () => {
  const tmp = tempDir();
  const ports = testPorts();
  let engine: Engine;
  const ipc = fakeIpc();
  beforeAll(() => {
    engine = createEngine(ports, { ledgerFile: tmp.file('ipc.db'), buildFlows: () => [healthFlow(() => [])] });
    registerIpcRouter(ipc.main, engine, { trustedOrigins: ['app://console'], logger: ports.logger });
  });
  afterAll(async () => {
    await engine.stop();
    tmp.cleanup();
  });

  it('answers the console through window.api with parsed replies', async () => {
    const api = buildConsoleApi(ipc.renderer);
    const status = await api.query('status.get', {});
    expect(status.flows.map((f) => f.flow)).toEqual(['health']);
    expect(await api.command('engine.runNow', {})).toEqual({ started: ['health'] });
  });

  it('rejects a bad payload with the field named, before the engine acts', async () => {
    const api = buildConsoleApi(ipc.renderer);
    await expect(api.command('engine.runNow', { flow: 'payroll' as never })).rejects.toThrow(/flow/);
    await expect(api.command('exceptions.dismiss', { id: 1, actor: 'Priya', reason: '' })).rejects.toThrow(/reason/);
    const raw = await ipc.renderer.invoke(IPC_CHANNELS.command, 'engine.deleteLedger', {});
    expect(raw).toMatchObject({ ok: false, error: { code: 'unknown-message' } });
  });

  it('refuses a foreign sender: a page from elsewhere or a subframe', async () => {
    ipc.setFrame({ url: 'https://evil.example/', parent: null });
    expect(await ipc.renderer.invoke(IPC_CHANNELS.query, 'status.get', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    ipc.setFrame({ url: 'app://console/index.html', parent: {} });
    expect(await ipc.renderer.invoke(IPC_CHANNELS.command, 'engine.pause', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(engine.status().state).toBe('stopped');
    expect(ports.logger.lines.filter((l) => l.message === 'IPC from an untrusted frame refused')).toHaveLength(2);
    ipc.setFrame({ url: 'app://console/index.html', parent: null });
  });

  it('delivers engine events that match the contract and drops ones that do not', async () => {
    const api = buildConsoleApi(ipc.renderer);
    const seen: number[] = [];
    const off = api.on('status.changed', (s) => seen.push(s.revision));
    ipc.emit('status.changed', engine.status());
    ipc.emit('status.changed', { state: 'exploded' });
    ipc.emit('not.an.event', {});
    off();
    ipc.emit('status.changed', engine.status());
    expect(seen).toHaveLength(1);
  });
});
