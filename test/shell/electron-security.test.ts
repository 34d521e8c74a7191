import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { memoryLogger } from '../../electron/engine/logging';
import type { ContractEndpoint } from '../../electron/engine';
import { registerIpcRouter, routeIpc, type IpcMainLike } from '../../electron/main/ipc-router';
import {
  APP_ORIGIN,
  CONSOLE_CSP,
  CONSOLE_ENTRY,
  consoleResponseHeaders,
  isAllowedNavigation,
  rendererSource,
  resolveConsoleFile,
  secureWebPreferences,
} from '../../electron/main/security';
import { ELECTRON_SECURITY_CHECKLIST } from '../../electron/main/security-checklist';
import { CONTRACT_VERSION, IPC_CHANNELS } from '../../shared/contract';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RENDERER = '/opt/Marketplace Console/resources/app.asar/out/renderer';

describe('where the window loads the console from', () => {
  it('the development server from the environment only in an unpackaged app, and only on this computer', () => {
    expect(rendererSource({ isPackaged: false, developmentUrl: 'http://localhost:5173/' })).toMatchObject({
      kind: 'development',
      origin: 'http://localhost:5173',
    });
    // An installed app ignores the variable: whoever set it cannot make the window show their page with window.api.
    expect(rendererSource({ isPackaged: true, developmentUrl: 'http://localhost:5173/' })).toEqual({ kind: 'app', url: CONSOLE_ENTRY, origin: APP_ORIGIN });
    expect(rendererSource({ isPackaged: false, developmentUrl: 'https://evil.example/' })).toMatchObject({ kind: 'app' });
    expect(rendererSource({ isPackaged: false, developmentUrl: 'file:///home/someone/page.html' })).toMatchObject({ kind: 'app' });
    expect(rendererSource({ isPackaged: false, developmentUrl: undefined })).toMatchObject({ kind: 'app', url: 'app://console/index.html' });
  });

  it('navigation stays on the console’s own origin: never another site, another app:// host, or any file:// page', () => {
    const trusted = [APP_ORIGIN];
    const tried = {
      'app://console/index.html#/exceptions/42': isAllowedNavigation('app://console/index.html#/exceptions/42', trusted),
      'app://console.evil/': isAllowedNavigation('app://console.evil/', trusted),
      'app://other/index.html': isAllowedNavigation('app://other/index.html', trusted),
      'file:///opt/Marketplace Console/resources/app.asar/out/renderer/index.html': isAllowedNavigation(`file://${RENDERER}/index.html`, trusted),
      'file:///etc/passwd': isAllowedNavigation('file:///etc/passwd', trusted),
      'https://evil.example/': isAllowedNavigation('https://evil.example/', trusted),
      'http://localhost:5173/': isAllowedNavigation('http://localhost:5173/', trusted),
      'javascript:alert(1)': isAllowedNavigation('javascript:alert(1)', trusted),
    };
    expect(tried).toEqual({
      'app://console/index.html#/exceptions/42': true,
      'app://console.evil/': false,
      'app://other/index.html': false,
      'file:///opt/Marketplace Console/resources/app.asar/out/renderer/index.html': false,
      'file:///etc/passwd': false,
      'https://evil.example/': false,
      'http://localhost:5173/': false,
      'javascript:alert(1)': false,
    });
  });
});

describe('app://console: the built console’s folder and nothing else, its policy as a header', () => {
  it('answers files inside the folder, and nothing outside it however the path is spelt', () => {
    expect(resolveConsoleFile(RENDERER, 'app://console/')).toBe(path.join(RENDERER, 'index.html'));
    expect(resolveConsoleFile(RENDERER, 'app://console/index.html?x=1#/orders')).toBe(path.join(RENDERER, 'index.html'));
    expect(resolveConsoleFile(RENDERER, 'app://console/assets/index-abc.js')).toBe(path.join(RENDERER, 'assets/index-abc.js'));
    // Dot segments, even encoded, are resolved by the URL itself and stop at the folder's root.
    expect(resolveConsoleFile(RENDERER, 'app://console/%2e%2e/%2e%2e/package.json')).toBe(path.join(RENDERER, 'package.json'));
    for (const escape of [
      'app://console/..%2f..%2f..%2fetc/passwd',
      'app://console/assets/..%5c..%5c..%5cetc%5cpasswd',
      'app://console/index.html%00.js',
      'app://console/%E0%A4%A',
      'app://other/index.html',
      'file:///etc/passwd',
      'not a url',
    ])
      expect(resolveConsoleFile(RENDERER, escape), escape).toBeNull();
  });

  it('every answer carries the CSP as a header, frame-ancestors included, with no inline script or eval', () => {
    const headers = consoleResponseHeaders(path.join(RENDERER, 'index.html'));
    expect(headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CONSOLE_CSP, 'x-content-type-options': 'nosniff' });
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(CONSOLE_CSP).toContain("script-src 'self';");
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(consoleResponseHeaders(path.join(RENDERER, 'assets/index.js'))['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('the window’s preferences: sandboxed, isolated, no Node, no webviews, no experimental or Blink features', () => {
    const prefs = secureWebPreferences('/p.cjs');
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });
});

/** An engine endpoint that records what reaches it. */
function recordingEngine(): ContractEndpoint & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    query: async (name: string) => (calls.push(`query ${name}`), { ok: true }) as never,
    command: async (name: string) => (calls.push(`command ${name}`), { ok: true }) as never,
    subscribe: () => () => undefined,
  } as ContractEndpoint & { calls: string[] };
}

const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } }) as unknown as IpcMainInvokeEvent;
const console_ = frame('app://console/index.html#/orders');

describe('IPC: refused in the main process before the engine’s process hears of it', () => {
  const options = { trustedOrigins: [APP_ORIGIN], logger: memoryLogger() };

  it('registers the two routed channels and no other', () => {
    const registered: string[] = [];
    const ipc: IpcMainLike = { handle: (c) => void registered.push(c), removeHandler: () => undefined };
    registerIpcRouter(ipc, recordingEngine(), options);
    expect(registered.sort()).toEqual([IPC_CHANNELS.command, IPC_CHANNELS.query].sort());
  });

  it('an unknown channel, a foreign sender, arguments that are not a name and a payload, an unknown name or a bad payload', async () => {
    const engine = recordingEngine();
    const tried = {
      'an unknown channel': await routeIpc('console:shell', console_, ['status.get', {}], engine, options),
      'the event channel invoked': await routeIpc(IPC_CHANNELS.event, console_, ['status.changed', {}], engine, options),
      'another site': await routeIpc(IPC_CHANNELS.query, frame('https://evil.example/'), ['status.get', {}], engine, options),
      'a file:// page': await routeIpc(
        IPC_CHANNELS.query,
        frame('file:///opt/Marketplace Console/resources/app.asar/out/renderer/index.html'),
        ['status.get', {}],
        engine,
        options,
      ),
      'a subframe of the console': await routeIpc(IPC_CHANNELS.command, frame('app://console/index.html', {}), ['engine.pause', {}], engine, options),
      'a frame already gone': await routeIpc(
        IPC_CHANNELS.command,
        { senderFrame: null } as unknown as IpcMainInvokeEvent,
        ['engine.pause', {}],
        engine,
        options,
      ),
      'the development server, in an installed app': await routeIpc(IPC_CHANNELS.query, frame('http://localhost:5173/'), ['status.get', {}], engine, options),
      'no arguments': await routeIpc(IPC_CHANNELS.query, console_, [], engine, options),
      'a name that is not a string': await routeIpc(IPC_CHANNELS.query, console_, [{ toString: 'status.get' }, {}], engine, options),
      'three arguments': await routeIpc(IPC_CHANNELS.command, console_, ['engine.pause', {}, 'extra'], engine, options),
      'an unknown command': await routeIpc(IPC_CHANNELS.command, console_, ['engine.deleteLedger', {}], engine, options),
      'a query name on the command channel': await routeIpc(IPC_CHANNELS.command, console_, ['status.get', {}], engine, options),
      'a bad payload': await routeIpc(IPC_CHANNELS.command, console_, ['engine.runNow', { flow: 'payroll' }], engine, options),
      'a payload with a field the contract does not have': await routeIpc(IPC_CHANNELS.command, console_, ['engine.pause', { force: true }], engine, options),
    };
    expect(Object.fromEntries(Object.entries(tried).map(([k, r]) => [k, r.ok ? 'answered' : r.error.code]))).toEqual({
      'an unknown channel': 'unknown-message',
      'the event channel invoked': 'unknown-message',
      'another site': 'forbidden',
      'a file:// page': 'forbidden',
      'a subframe of the console': 'forbidden',
      'a frame already gone': 'forbidden',
      'the development server, in an installed app': 'forbidden',
      'no arguments': 'bad-payload',
      'a name that is not a string': 'bad-payload',
      'three arguments': 'bad-payload',
      'an unknown command': 'unknown-message',
      'a query name on the command channel': 'unknown-message',
      'a bad payload': 'bad-payload',
      'a payload with a field the contract does not have': 'bad-payload',
    });
    expect(engine.calls).toEqual([]);
    // The console itself is answered.
    expect(await routeIpc(IPC_CHANNELS.command, console_, ['engine.runNow', { flow: 'stock' }], engine, options)).toEqual({ ok: true, result: { ok: true } });
    expect(engine.calls).toEqual(['command engine.runNow']);
    expect(CONTRACT_VERSION).toBeGreaterThan(0);
  });
});

describe('the Electron security checklist', () => {
  it('answers every item of Electron’s list, each with code that is where the table says', () => {
    const items = ELECTRON_SECURITY_CHECKLIST.map((i) => i.item);
    expect(items.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const missing: string[] = [];
    for (const entry of ELECTRON_SECURITY_CHECKLIST) {
      expect(entry.code.length, `item ${entry.item}`).toBeGreaterThan(0);
      for (const reference of entry.code) {
        const at = reference.indexOf(': ');
        const file = path.join(ROOT, reference.slice(0, at));
        if (!existsSync(file) || !readFileSync(file, 'utf8').includes(reference.slice(at + 2))) missing.push(`item ${entry.item}: ${reference}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
