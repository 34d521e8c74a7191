import { describe, expect, it } from 'vitest';
import { loginItemFor, opensWindow, STARTED_AT_SIGN_IN } from '../../shared/domain/desktop';
import { applySettingsPatch, SettingsSchema } from '../../shared/domain/settings';

describe('starting at Windows sign-in', () => {
  it('is on by default, follows the setting, and a sign-in start stays in the tray', () => {
    const settings = SettingsSchema.parse({});
    expect(loginItemFor(settings, 'win32')).toEqual({ openAtLogin: true, args: [STARTED_AT_SIGN_IN] });
    const off = applySettingsPatch(settings, { desktop: { startAtSignIn: false } });
    expect(loginItemFor(off, 'win32')).toEqual({ openAtLogin: false, args: [STARTED_AT_SIGN_IN] });
    // Linux has no sign-in item to ask for: nothing is set there.
    expect(loginItemFor(settings, 'linux')).toBeNull();
    expect(opensWindow(['MarketplaceConsole.exe', STARTED_AT_SIGN_IN])).toBe(false);
    expect(opensWindow(['MarketplaceConsole.exe'])).toBe(true);
  });
});
