import type { SecretStore } from '../../engine';
import type { SecretName } from '../../../shared/domain/settings';
import type { KeyValueStore } from './settings-store';

/** The async safeStorage API (the sync one is deprecated in Electron 45). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  getSelectedStorageBackend?(): string;
}

export class SecretStorageUnavailableError extends Error {
  constructor(reason: string) {
    super(`Secrets cannot be stored safely on this computer: ${reason}`);
    this.name = 'SecretStorageUnavailableError';
  }
}

/**
 * Secrets encrypted by the operating system (DPAPI on Windows, Keychain on macOS, the desktop keyring on
 * Linux) through safeStorage; only the encrypted blob, base64, is written to electron-store. On Linux with
 * no keyring, safeStorage falls back to a hard-coded key: we refuse rather than pretend.
 */
export function safeStorageSecretStore(safeStorage: SafeStorageLike, blobs: KeyValueStore): SecretStore {
  const key = (name: SecretName) => `secrets.${name}`;
  async function ensureAvailable() {
    if (safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
      throw new SecretStorageUnavailableError('no desktop keyring (safeStorage would use a hard-coded key). Install and unlock a keyring, then try again.');
    }
    if (!(await safeStorage.isAsyncEncryptionAvailable())) throw new SecretStorageUnavailableError('the operating system offers no encryption to this app');
  }
  return {
    async get(name) {
      const blob = blobs.get(key(name));
      if (typeof blob !== 'string' || !blob) return undefined;
      await ensureAvailable();
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(blob, 'base64'));
      if (shouldReEncrypt) blobs.set(key(name), (await safeStorage.encryptStringAsync(result)).toString('base64'));
      return result;
    },
    async set(name, value) {
      await ensureAvailable();
      blobs.set(key(name), (await safeStorage.encryptStringAsync(value)).toString('base64'));
    },
    async delete(name) {
      blobs.set(key(name), null);
    },
  };
}
