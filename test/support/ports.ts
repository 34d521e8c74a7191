import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fakeClock, type FakeClock } from '../../electron/engine/clock';
import { memoryLogger } from '../../electron/engine/logging';
import { createHttpClientFactory } from '../../electron/engine/net/http-client';
import type { EnginePorts, Notification, SecretStore, SettingsStore } from '../../electron/engine/ports';
import { SettingsSchema, applySettingsPatch, type SecretName, type Settings, type SettingsPatch } from '../../shared/domain/settings';

/** The go-live cut-off the tests' consoles use: before every order the emulators create. */
export const GO_LIVE = '2026-01-01T00:00:00.000Z';

export function memorySettings(initial: Partial<Settings> = {}): SettingsStore {
  let current = SettingsSchema.parse(initial);
  return {
    get: () => current,
    async update(patch: SettingsPatch) {
      current = applySettingsPatch(current, patch);
      return current;
    },
  };
}

export function memorySecrets(initial: Partial<Record<SecretName, string>> = {}): SecretStore {
  const values = new Map(Object.entries(initial) as [SecretName, string][]);
  return {
    get: async (n) => values.get(n),
    set: async (n, v) => void values.set(n, v),
    delete: async (n) => void values.delete(n),
  };
}

export interface TestPorts extends EnginePorts {
  clock: FakeClock;
  notifications: Notification[];
  logger: ReturnType<typeof memoryLogger>;
}

export function testPorts(settings: Partial<Settings> = {}): TestPorts {
  const notifications: Notification[] = [];
  return {
    clock: fakeClock(),
    logger: memoryLogger(),
    settings: memorySettings(settings),
    secrets: memorySecrets(),
    notifier: { notify: (n) => void notifications.push(n) },
    http: createHttpClientFactory(),
    random: () => 0.5,
    notifications,
  };
}

/** A temporary folder removed by the returned cleanup. */
export function tempDir(prefix = 'console-test-'): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, file: (name) => path.join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
