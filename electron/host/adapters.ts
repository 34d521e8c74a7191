import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { makePrivate, writePrivateFile, type Logger, type Notifier, type SecretStore, type SettingsStore } from '../engine';
import { SettingsPatchSchema, applySettingsPatch, mergeSettingsPatches, type SecretName, type SettingsPatch } from '../../shared/domain/settings';
import type { HostConfig } from './config';

/**
 * Settings from the configuration file, with the changes operators made in the console kept beside the
 * ledger (settings-changes.json) so they survive a restart without rewriting the operator's config file.
 */
export function fileSettingsStore(config: HostConfig, dataDir: string): SettingsStore {
  const file = path.join(dataDir, 'settings-changes.json');
  // Written readable by everyone before this version: this user's only from now on.
  makePrivate(file);
  let changes: SettingsPatch = existsSync(file) ? SettingsPatchSchema.parse(JSON.parse(readFileSync(file, 'utf8'))) : {};
  let current = applySettingsPatch(config.settings, changes);
  return {
    get: () => current,
    async update(patch) {
      const next = applySettingsPatch(current, patch);
      changes = mergeSettingsPatches(changes, patch);
      writePrivateFile(file, JSON.stringify(changes, null, 2));
      current = next;
      return current;
    },
  };
}

/**
 * Secrets for the headless host come from environment variables the config names; they are never written
 * to disk. Setting one from the console keeps it for this process only.
 */
export function environmentSecretStore(config: HostConfig, env: NodeJS.ProcessEnv = process.env): SecretStore {
  const session = new Map<SecretName, string>();
  return {
    async get(name) {
      if (session.has(name)) return session.get(name);
      const variable = config.secrets[name]?.env;
      const value = variable ? env[variable] : undefined;
      return value === '' ? undefined : value;
    },
    async set(name, value) {
      session.set(name, value);
    },
    async delete(name) {
      session.delete(name);
    },
  };
}

/** Without a desktop, a notification is a log line and a line on stderr for whoever watches the service. */
export function logNotifier(logger: Logger): Notifier {
  return {
    notify(n) {
      logger.warn('Notification', { title: n.title, body: n.body, severity: n.severity });
      process.stderr.write(`[${n.severity}] ${n.title}: ${n.body}\n`);
    },
  };
}
