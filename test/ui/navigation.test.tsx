import { describe, expect, test } from 'vitest';
import { renderConsole } from './render-console';

describe('navigation', () => {
  test('a link to a screen opens on that screen and keeps its address', async () => {
    const { screen } = await renderConsole(() => undefined, { hash: '#/exceptions' });
    await expect.element(screen.getByRole('tab', { name: /Exceptions/ })).toHaveAttribute('aria-selected', 'true');
    expect(location.hash).toBe('#/exceptions');
  });

  test('an unknown address falls back to the overview', async () => {
    const { screen } = await renderConsole(() => undefined, { hash: '#/payroll' });
    await expect.element(screen.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
    await expect.poll(() => location.hash).toBe('#/overview');
  });
});
