import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM } from '../../vitest.config';

/** Debian's Chromium, headless, with the flags that keep it off the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ headless: true, executablePath: CHROMIUM.executablePath, args: CHROMIUM.args });
}
