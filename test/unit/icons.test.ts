import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { ICON_DIR, ICO_SIZES, TRAY_STATES, iconSet } from '../../scripts/icons';

/** The sizes inside a Windows .ico: its directory lists one entry of 16 bytes per picture, width first (0 = 256). */
function icoSizes(bytes: Buffer): number[] {
  const count = bytes.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => bytes[6 + i * 16] || 256);
}

describe('the desktop app icon set', () => {
  it('the committed icons are what scripts/icons.ts draws (run npm run icons after changing it)', async () => {
    for (const [name, bytes] of await iconSet()) {
      expect(existsSync(path.join(ICON_DIR, name)), name).toBe(true);
      expect(readFileSync(path.join(ICON_DIR, name)).equals(bytes), `${name} differs from scripts/icons.ts`).toBe(true);
    }
  });

  it('gives Windows one .ico with every size it shows, 16 to 256 px, and the installer uses it', () => {
    expect(icoSizes(readFileSync(path.join(ICON_DIR, 'icon.ico')))).toEqual([...ICO_SIZES]);
    const builder = readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8');
    expect(builder).toMatch(/^\s+icon: build\/icons\/icon\.ico$/m);
  });

  it('has a 16 px tray icon and its 32 px high-DPI twin for every tray state', () => {
    for (const state of TRAY_STATES) {
      expect(PNG.sync.read(readFileSync(path.join(ICON_DIR, `tray-${state}.png`))).width).toBe(16);
      expect(PNG.sync.read(readFileSync(path.join(ICON_DIR, `tray-${state}@2x.png`))).width).toBe(32);
    }
  });
});
