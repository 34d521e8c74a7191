import axe from 'axe-core';
import { describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import '../../renderer/styles/app.css';
import { makeException } from './fixtures';
import { renderConsole } from './render-console';

const withExceptions = (api: import('./fake-api').FakeApi) => {
  api.exceptions = [
    makeException({ id: 1, flow: 'orders', type: 'sku-unknown', summary: 'SKU JL-1001 has no item in SAP' }),
    makeException({
      id: 2,
      flow: 'despatch',
      type: 'carrier-unmapped',
      severity: 'critical',
      record: { type: 'order', key: '000000091-B' },
      summary: 'SAP carrier "DPD Next Day" has no marketplace carrier code',
    }),
    // A type no version of the catalogue has (an old ledger row): its help is the exceptions page itself.
    makeException({ id: 3, flow: 'orders', type: 'sku-unmapped', record: { type: 'order', key: '000000093-A' } }),
  ];
};

/** The handbook's section the console landed on: its heading, marked and focused. */
const landed = () => document.querySelector('.handbook-landed');

describe('the handbook in the console', () => {
  test('opens from the header, offline, on its contents; its links between pages open them in the console', async () => {
    const { screen } = await renderConsole();
    await screen.getByTestId('handbook-link').click();
    const handbook = screen.getByTestId('handbook');
    await expect.element(handbook.getByRole('heading', { level: 1 })).toHaveTextContent('The handbook');
    expect(location.hash).toBe('#/handbook/README.md');
    // No screen is shown, so no tab is the selected one.
    expect(screen.getByRole('tab', { selected: true }).query()).toBeNull();

    // A relative link of the markdown (to console.md, whatever its words) opens that page inside the console.
    await userEvent.click(handbook.element().querySelector('a[href="#/handbook/console.md"]')!);
    await expect.element(handbook.getByRole('heading', { level: 1 })).toHaveTextContent("The console: an operator's guide");
    expect(location.hash).toBe('#/handbook/console.md');

    await screen.getByRole('button', { name: 'Back to the console' }).click();
    await expect.element(screen.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId('handbook').query()).toBeNull();
    expect(location.hash).toBe('#/overview');
  });

  test('the ? beside an exception in the list lands on its type’s section, without opening the exception', async () => {
    const { screen } = await renderConsole(withExceptions, { hash: '#/exceptions' });
    await screen.getByTestId('exception-1').getByRole('link', { name: 'Handbook: SKU unknown' }).click();
    await expect.poll(() => landed()?.textContent).toBe('A SKU with no SAP item (sku-unknown)');
    expect(document.activeElement).toBe(landed());
    expect(location.hash).toBe('#/handbook/operations/exceptions.md#orders-sku-unknown');
    // The orders flow's section, not the stock flow's exception of the same name.
    expect(landed()?.nextElementSibling?.textContent).toBe('Orders · needs a correction · error · on an order');

    // Back in the browser: the Exceptions screen as it was, no exception opened by the click.
    history.back();
    await expect.element(screen.getByTestId('exception-1')).toBeVisible();
    expect(screen.getByTestId('exception-detail').query()).toBeNull();
  });

  test('an exception’s detail links to its section, and the section’s links lead on to the flow’s own page', async () => {
    const { screen } = await renderConsole(withExceptions, { hash: '#/exceptions/2' });
    await screen.getByTestId('exception-handbook').click();
    await expect.poll(() => landed()?.textContent).toBe('The carrier has no John Lewis carrier (carrier-unmapped)');
    expect(location.hash).toBe('#/handbook/operations/exceptions.md#despatch-carrier-unmapped');

    // "how it works" on the despatch part of the page is ../despatch.md: a page up from operations/.
    await screen.getByTestId('handbook').getByRole('link', { name: 'how it works' }).nth(2).click();
    await expect.poll(() => document.querySelector('.handbook-page h1')?.textContent).toBe('Despatch: from the SAP Delivery Note to "shipped" on John Lewis');
    expect(location.hash).toBe('#/handbook/despatch.md');

    // The console guide's section on exceptions, by its heading's anchor.
    location.hash = '#/handbook/operations/exceptions.md';
    await screen.getByTestId('handbook').getByRole('link', { name: 'the console guide' }).click();
    await expect.poll(() => landed()?.textContent).toBe('Exceptions');
    expect(location.hash).toBe('#/handbook/console.md#exceptions');

    // Four pages of the handbook back: the exception as it was left.
    history.go(-4);
    await expect.element(screen.getByTestId('exception-detail')).toBeVisible();
    expect(location.hash).toBe('#/exceptions/2');
  });

  test('a type the catalogue does not have opens the exceptions page at its top', async () => {
    const { screen } = await renderConsole(withExceptions, { hash: '#/exceptions/3' });
    await screen.getByTestId('exception-handbook').click();
    await expect.element(screen.getByTestId('handbook').getByRole('heading', { level: 1 })).toHaveTextContent('Exceptions: what each one means and what to do');
    expect(location.hash).toBe('#/handbook/operations/exceptions.md');
    expect(landed()).toBeNull();
  });

  test('a page the handbook does not have says so and leads back to the contents', async () => {
    const { screen } = await renderConsole(() => undefined, { hash: '#/handbook/operations/no-such-page.md' });
    await expect.element(screen.getByTestId('handbook-missing')).toHaveTextContent('The handbook has no page operations/no-such-page.md. Open its contents');
    await screen.getByRole('link', { name: 'Open its contents' }).click();
    await expect.element(screen.getByTestId('handbook').getByRole('heading', { level: 1 })).toHaveTextContent('The handbook');
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`reads in the console's ${theme} palette with no serious accessibility findings`, async () => {
      document.documentElement.dataset.theme = theme;
      const { screen } = await renderConsole(() => undefined, { hash: '#/handbook/operations/exceptions.md#orders-sku-unknown' });
      await expect.poll(() => landed()?.textContent).toBe('A SKU with no SAP item (sku-unknown)');
      await userEvent.keyboard('{Tab}');
      const result = await axe.run(screen.getByTestId('handbook').element(), { resultTypes: ['violations'] });
      const blockers = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.length}`);
      expect(blockers).toEqual([]);
      delete document.documentElement.dataset.theme;
    });
  }
});
