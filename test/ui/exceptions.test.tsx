import { describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import { auditSentence } from '../../renderer/features/exceptions/AuditTrail';
import { makeAction, makeException } from './fixtures';
import { renderConsole } from './render-console';

const withExceptions = (api: import('./fake-api').FakeApi) => {
  api.exceptions = [
    makeException(),
    makeException({
      id: 2,
      flow: 'despatch',
      type: 'carrier-unmapped',
      severity: 'critical',
      record: { type: 'order', key: '000000091-B' },
      summary: 'SAP carrier "DPD Next Day" has no marketplace carrier code',
      deadlineAt: new Date(Date.now() - 2 * 3600_000).toISOString(),
      rawError: null,
    }),
  ];
  api.actions = [makeAction(), makeAction({ id: 2, action: 'retry', actor: 'Tom Reid', reason: 'Mapped the SKU', before: 'open', after: 'retrying' })];
};

describe('Exceptions', () => {
  test('a long list scrolls to its last exception, rows stacked without gaps or overlaps (the list places rows without measuring them)', async () => {
    const { screen } = await renderConsole((api) => {
      api.exceptions = Array.from({ length: 250 }, (_, i) =>
        makeException({ id: i + 1, record: { type: 'order', key: `${String(100 + i).padStart(9, '0')}-A` }, summary: `Exception number ${i + 1}` }),
      );
    });
    await screen.getByRole('tab', { name: /Exceptions/ }).click();
    await expect.element(screen.getByTestId('exception-total')).toHaveTextContent('250 exceptions');
    const box = screen.getByTestId('exceptions-table').element() as HTMLElement;
    // Scrolled to the end again and again: each time near the end the next page loads, until the 250th is on screen.
    await expect
      .poll(() => {
        box.scrollTop = box.scrollHeight;
        return screen.getByTestId('exception-250').query() !== null;
      })
      .toBe(true);
    const rows = [...box.querySelectorAll<HTMLElement>('tr[data-index]')].map((r) => r.getBoundingClientRect());
    expect(rows.length).toBeGreaterThan(5);
    for (const [i, row] of rows.entries()) {
      expect(row.height).toBe(32);
      if (i > 0) expect(row.top).toBe(rows[i - 1]!.bottom);
    }
    const last = screen.getByTestId('exception-250').element().getBoundingClientRect();
    expect(last.bottom).toBeLessThanOrEqual(box.getBoundingClientRect().bottom + 1);
  });

  test('lists the rows the engine returns, with deadlines emphasised', async () => {
    const { screen } = await renderConsole(withExceptions);
    await screen.getByRole('tab', { name: /Exceptions/ }).click();
    await expect.element(screen.getByTestId('exception-total')).toHaveTextContent('2 exceptions');
    const first = screen.getByTestId('exception-1');
    await expect.element(first).toMatchTextContent('000000086-A');
    await expect.element(first).toMatchTextContent('SKU unmapped');
    await expect.element(first).toMatchTextContent('in 3 h');
    await expect.element(screen.getByTestId('exception-2')).toMatchTextContent('overdue 2 h');
  });

  test('filters by search through exceptions.list', async () => {
    const { api, screen } = await renderConsole(withExceptions);
    await screen.getByRole('tab', { name: /Exceptions/ }).click();
    await screen.getByRole('searchbox', { name: 'Search' }).fill('091');
    await expect.element(screen.getByTestId('exception-total')).toHaveTextContent('1 exception');
    await expect.element(screen.getByTestId('exception-2')).toBeVisible();
    expect(screen.getByTestId('exception-1').query()).toBeNull();
    expect(api.calls.some((c) => c.name === 'exceptions.list' && (c.request as { search?: string }).search === '091')).toBe(true);
  });

  test('splits what needs a correction from what the engine could not finish: the Kind filter asks the engine for technical ones only', async () => {
    const { api, screen } = await renderConsole((a) => {
      withExceptions(a);
      a.exceptions.push(
        makeException({
          id: 3,
          type: 'gave-up',
          category: 'technical',
          record: { type: 'order', key: '000000093-A' },
          summary: 'Gave up after 8 attempts over 2 h to post the Sales Order for 000000093-A: SAP HTTP 500',
          suggestedAction: 'Fix the cause the error names, then Retry.',
        }),
      );
    });
    await screen.getByRole('tab', { name: /Exceptions/ }).click();
    await expect.element(screen.getByTestId('exception-total')).toHaveTextContent('3 exceptions');
    await expect.element(screen.getByTestId('exception-3')).toMatchTextContent('Technical');
    await expect.element(screen.getByTestId('exception-1')).toMatchTextContent('Needs a correction');
    await screen.getByRole('combobox', { name: 'Kind' }).selectOptions('Technical');
    await expect.element(screen.getByTestId('exception-total')).toHaveTextContent('1 exception');
    await expect.element(screen.getByTestId('exception-3')).toBeVisible();
    expect(screen.getByTestId('exception-1').query()).toBeNull();
    expect(api.calls.some((c) => c.name === 'exceptions.list' && (c.request as { category?: string }).category === 'technical')).toBe(true);
  });

  test('selecting a row shows the raw error verbatim, the suggested action and the audit trail', async () => {
    const { screen } = await renderConsole(withExceptions);
    await screen.getByRole('tab', { name: /Exceptions/ }).click();
    await screen.getByTestId('exception-1').click();
    const detail = screen.getByTestId('exception-detail');
    await expect.element(detail.getByRole('heading', { level: 2 })).toMatchTextContent('SKU JL-1001 has no SAP item');
    await expect.element(screen.getByTestId('raw-error')).toMatchTextContent('1250000075 - Item code JL-1001 does not exist');
    await expect.element(screen.getByTestId('suggested-action')).toMatchTextContent('Map SKU JL-1001 to an SAP item, then retry.');
    const trail = screen.getByTestId('audit-trail');
    await expect.element(trail).toMatchTextContent('Tom Reid');
    await expect.element(trail).toMatchTextContent('Mapped the SKU');
    await expect.element(trail).toMatchTextContent('Tom Reid asked for a retry (open → retrying): “Mapped the SKU”.');
  });

  test('a row opens from the keyboard too', async () => {
    const { screen } = await renderConsole(withExceptions);
    await screen.getByRole('tab', { name: /Exceptions/ }).click();
    await expect.element(screen.getByTestId('exception-2')).toBeVisible();
    (screen.getByTestId('exception-2').element() as HTMLElement).focus();
    await userEvent.keyboard('{Enter}');
    await expect.element(screen.getByTestId('exception-detail')).toMatchTextContent('The other system gave no error text.');
  });

  test('dismiss without a reason is refused; with one it sends the command and records the operator', async () => {
    const { api, screen } = await renderConsole(withExceptions);
    await screen.getByRole('tab', { name: /Exceptions/ }).click();
    await screen.getByTestId('exception-1').click();
    const dismiss = screen.getByRole('button', { name: 'Dismiss', exact: true });

    await dismiss.click();
    await expect.element(screen.getByRole('alert')).toMatchTextContent('at least 3 characters');
    await screen.getByRole('textbox', { name: 'Reason for dismissing' }).fill('ok');
    await dismiss.click();
    await expect.element(screen.getByRole('alert')).toMatchTextContent('at least 3 characters');
    expect(api.commandsNamed('exceptions.dismiss')).toEqual([]);

    await screen.getByRole('textbox', { name: 'Reason for dismissing' }).fill('Customer cancelled by phone');
    await dismiss.click();
    await expect.element(screen.getByTestId('notice')).toMatchTextContent('Dismissed 000000086-A.');
    expect(api.commandsNamed('exceptions.dismiss')).toEqual([{ id: 1, actor: 'Priya Shah', reason: 'Customer cancelled by phone' }]);
    // It leaves the open list; the detail stays, now dismissed, with the dismissal in its trail.
    await expect.element(screen.getByTestId('exception-total')).toHaveTextContent('1 exception');
    await expect.element(screen.getByTestId('exception-detail')).toMatchTextContent('Dismissed');
    await expect.element(screen.getByTestId('audit-trail')).toMatchTextContent('Customer cancelled by phone');
  });

  test('retry sends the command with the operator’s name', async () => {
    const { api, screen } = await renderConsole(withExceptions);
    await screen.getByRole('tab', { name: /Exceptions/ }).click();
    await screen.getByTestId('exception-1').click();
    await screen.getByRole('button', { name: 'Retry', exact: true }).click();
    await expect.element(screen.getByTestId('notice')).toMatchTextContent('Retry requested for 000000086-A.');
    expect(api.commandsNamed('exceptions.retry')).toEqual([{ id: 1, actor: 'Priya Shah' }]);
  });

  test('an exception.changed event updates the row', async () => {
    const { api, screen } = await renderConsole(withExceptions);
    await screen.getByRole('tab', { name: /Exceptions/ }).click();
    await expect.element(screen.getByTestId('exception-1')).toMatchTextContent('3×');
    api.changeException(makeException({ occurrences: 5 }));
    await expect.element(screen.getByTestId('exception-1')).toMatchTextContent('5×');
  });

  test('without an operator name, actions ask for it and the header takes it', async () => {
    const { screen } = await renderConsole(withExceptions, { actor: null });
    await screen.getByRole('tab', { name: /Exceptions/ }).click();
    await screen.getByTestId('exception-1').click();
    await expect.element(screen.getByRole('alert')).toMatchTextContent('Enter your name');
    await screen.getByRole('textbox', { name: 'Your name' }).fill('Sam Patel');
    await screen.getByRole('button', { name: 'Save name' }).click();
    await expect.element(screen.getByTestId('actor')).toHaveTextContent('Sam Patel');
    await expect.element(screen.getByRole('button', { name: 'Retry', exact: true })).toBeVisible();
  });

  test('renders only the visible window of a long list and fetches the next page on scroll', async () => {
    const { api, screen } = await renderConsole((a) => {
      a.exceptions = Array.from({ length: 1000 }, (_, i) => makeException({ id: i + 1, record: { type: 'order', key: `ORD-${i + 1}` } }));
    });
    await screen.getByRole('tab', { name: /Exceptions/ }).click();
    await expect.element(screen.getByTestId('exception-total')).toHaveTextContent('1000 exceptions');
    await expect.element(screen.getByTestId('exception-1')).toBeVisible();
    const table = screen.getByTestId('exceptions-table').element() as HTMLElement;
    expect(table.querySelectorAll('tr[data-index]').length).toBeLessThan(80);

    table.scrollTop = table.scrollHeight;
    await expect.poll(() => api.calls.filter((c) => c.name === 'exceptions.list').map((c) => (c.request as { offset: number }).offset)).toContain(100);
    table.scrollTop = table.scrollHeight;
    // Rows from the second page are on screen now, and still only a window of them is in the DOM.
    const shownIds = () => [...table.querySelectorAll('tr[data-testid]')].map((tr) => Number(tr.getAttribute('data-testid')!.slice('exception-'.length)));
    await expect.poll(() => Math.max(...shownIds())).toBeGreaterThan(100);
    expect(table.querySelectorAll('tr[data-index]').length).toBeLessThan(80);
  });
  test('the audit trail reads as sentences, never as JSON', () => {
    expect(auditSentence({ action: 'raised', actor: 'engine', reason: null, before: null, after: 'open' })).toBe('The engine raised it (now open).');
    expect(
      auditSentence({
        action: 'correct',
        actor: 'Tom Reid',
        reason: null,
        before: { sku: 'JL-1001', itemCode: null },
        after: { sku: 'JL-1001', itemCode: 'SKU000010' },
      }),
    ).toBe('Tom Reid corrected the record (sku JL-1001, item code null → sku JL-1001, item code SKU000010).');
    expect(auditSentence({ action: 'dismiss', actor: 'Priya Shah', reason: 'Discontinued', before: 'open', after: 'dismissed' })).toBe(
      'Priya Shah dismissed it (open → dismissed): “Discontinued”.',
    );
  });
});
