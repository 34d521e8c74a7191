import { describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import { makeException } from './fixtures';
import type { FakeApi } from './fake-api';
import { renderConsole } from './render-console';

/** Four orders blocked by unmapped SKUs, one by a VAT rate, and one SKU exception someone already dismissed. */
const queue = (api: FakeApi) => {
  api.exceptions = [
    ...[1, 2, 3, 4].map((i) => makeException({ id: i, record: { type: 'order', key: `00000010${i}-A` }, summary: `SKU JL-${i} has no SAP item` })),
    makeException({ id: 5, type: 'vat-unmapped', severity: 'warning', record: { type: 'order', key: '000000105-A' }, summary: 'VAT 5% has no SAP group' }),
  ];
};

describe('Exceptions in bulk', () => {
  test('counts by type, and one click shows just that type', async () => {
    const { api, screen } = await renderConsole(queue, { hash: '#/exceptions' });
    const groups = screen.getByTestId('type-groups');
    await expect.poll(() => groups.element().textContent).toContain('SKU unmapped 4');
    await expect.poll(() => groups.element().textContent).toContain('VAT unmapped 1');
    await screen.getByRole('button', { name: /VAT unmapped/ }).click();
    await expect.element(screen.getByTestId('exception-total')).toHaveTextContent('1 exception');
    expect(api.queriesNamed('exceptions.list').at(-1)).toMatchObject({ type: 'vat-unmapped', state: 'open' });
    await screen.getByRole('button', { name: 'Every type' }).click();
    await expect.element(screen.getByTestId('exception-total')).toHaveTextContent('5 exceptions');
  });

  test('ticks several, retries them in one go, and dismisses others with one reason recorded on each', async () => {
    const { api, screen } = await renderConsole(queue, { hash: '#/exceptions' });
    await screen.getByLabelText('Tick 000000101-A').click();
    await screen.getByLabelText('Tick 000000102-A').click();
    await expect.poll(() => screen.getByTestId('bulk-actions').element().textContent).toContain('2 exceptions ticked');
    // Ticking does not open the exception.
    expect(screen.getByTestId('exception-detail').query()).toBeNull();
    await screen.getByRole('button', { name: 'Retry ticked' }).click();
    await expect.poll(() => api.commandsNamed('exceptions.retryMany')).toEqual([{ ids: [1, 2], actor: 'Priya Shah' }]);
    await expect.poll(() => screen.getByTestId('notice').element().textContent).toContain('Retry requested for 2.');
    expect(screen.getByTestId('bulk-actions').query()).toBeNull();

    await screen.getByLabelText('Tick 000000103-A').click();
    await screen.getByLabelText('Tick 000000104-A').click();
    await screen.getByRole('button', { name: 'Dismiss ticked' }).click();
    await expect.element(screen.getByRole('alert')).toMatchTextContent('Give a reason');
    expect(api.commandsNamed('exceptions.dismissMany')).toEqual([]);
    await screen.getByLabelText('Reason', { exact: true }).fill('Lines discontinued');
    await screen.getByRole('button', { name: 'Dismiss ticked' }).click();
    await expect.poll(() => api.commandsNamed('exceptions.dismissMany')).toEqual([{ ids: [3, 4], actor: 'Priya Shah', reason: 'Lines discontinued' }]);
    expect(api.exceptions.filter((e) => e.state === 'dismissed').map((e) => e.id)).toEqual([3, 4]);
  });

  test('says which ones were refused when some were already dealt with elsewhere', async () => {
    const { api, screen } = await renderConsole(queue, { hash: '#/exceptions' });
    await screen.getByLabelText('Tick every exception loaded').click();
    // Someone else dismisses one in the meantime.
    api.exceptions[2] = { ...api.exceptions[2]!, state: 'dismissed' };
    await screen.getByRole('button', { name: 'Retry ticked' }).click();
    await expect
      .poll(() => screen.getByTestId('notice').element().textContent)
      .toContain('Retry requested for 4. 1 refused: Exception 3 is already dismissed.');
  });

  test('works from the keyboard: j and k move, x ticks, r retries, d goes to the reason', async () => {
    const { api, screen } = await renderConsole(queue, { hash: '#/exceptions' });
    await expect.element(screen.getByTestId('exception-1')).toBeVisible();
    await userEvent.keyboard('j');
    await expect.poll(() => location.hash).toBe('#/exceptions/1');
    await userEvent.keyboard('j');
    await expect.poll(() => location.hash).toBe('#/exceptions/2');
    await userEvent.keyboard('k');
    await expect.poll(() => location.hash).toBe('#/exceptions/1');
    // r on the open one alone retries it.
    await userEvent.keyboard('r');
    await expect.poll(() => api.commandsNamed('exceptions.retry')).toEqual([{ id: 1, actor: 'Priya Shah' }]);
    await userEvent.keyboard('jx');
    await userEvent.keyboard('jx');
    await expect.poll(() => screen.getByTestId('bulk-actions').element().textContent).toContain('2 exceptions ticked');
    await userEvent.keyboard('d');
    await expect.poll(() => document.activeElement?.id).toBe('bulk-dismiss-reason');
    await userEvent.keyboard('Duplicates of 000000101-A');
    (document.activeElement as HTMLElement).blur();
    await userEvent.keyboard('r');
    await expect.poll(() => api.commandsNamed('exceptions.retryMany')).toEqual([{ ids: [2, 3], actor: 'Priya Shah' }]);
  });
});
