import type { SettingsStore } from '../../engine';
import { SettingsSchema, applySettingsPatch, type Settings } from '../../../shared/domain/settings';

/** The part of electron-store the settings adapter uses. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/**
 * Non-secret settings kept in electron-store. What is stored is parsed on the way in, so a hand-edited or
 * older file falls back to defaults field by field instead of crashing the console.
 */
export function keyValueSettingsStore(store: KeyValueStore): SettingsStore {
  const stored = SettingsSchema.safeParse(store.get('settings') ?? {});
  let current: Settings = stored.success ? stored.data : SettingsSchema.parse({});
  return {
    get: () => current,
    async update(patch) {
      current = applySettingsPatch(current, patch);
      store.set('settings', current);
      return current;
    },
  };
}
