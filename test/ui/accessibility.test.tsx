import axe from 'axe-core';
import { describe, expect, test } from 'vitest';
import { page as browserPage } from 'vitest/browser';
// The console's own stylesheet, so contrast is checked in the palette people see.
import '../../renderer/styles/app.css';
import { makeException } from './fixtures';
import { makeOrder } from './fake-orders';
import { renderConsole } from './render-console';

/** Every screen the tab bar offers, as an operator lands on it (with something in the lists). */
const SCREENS = ['overview', 'exceptions', 'orders', 'despatch', 'returns', 'invoicing', 'payouts', 'stock', 'runs', 'settings', 'connections'];

/** axe's findings that stop someone using the screen (serious or critical), as "rule: element" lines. */
async function blockers(): Promise<string[]> {
  const result = await axe.run(document.body, { resultTypes: ['violations'], rules: { region: { enabled: false } } });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} (${n.failureSummary?.split('\n').slice(1).join(' ') ?? v.help})`));
}

describe('accessibility (axe-core)', () => {
  for (const [screen, theme] of SCREENS.flatMap((s) => [[s, 'light'] as const, [s, 'dark'] as const])) {
    test(`${screen} (${theme}): no serious or critical findings`, async () => {
      // The desktop window's narrowest: every control fits (the layout is checked from 960 px up).
      await browserPage.viewport(960, 800);
      document.documentElement.dataset.theme = theme;
      const { screen: page } = await renderConsole(
        (a) => {
          a.exceptions = [makeException()];
          a.orders.orders = [makeOrder()];
        },
        { hash: `#/${screen}` },
      );
      await expect.element(page.getByRole('tab', { selected: true })).toBeVisible();
      // Let the screen's first answers arrive.
      await new Promise((r) => setTimeout(r, 300));
      expect(await blockers()).toEqual([]);
    });
  }
});
