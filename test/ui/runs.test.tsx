import { describe, expect, test } from 'vitest';
import { makeRun } from './fixtures';
import { renderConsole } from './render-console';

describe('Runs screen', () => {
  const runs = [
    makeRun({ id: 4, flow: 'health', counts: { systems: 2, reachable: 2 } }),
    makeRun({ id: 3, flow: 'returns', counts: { refundRequestsSettled: 1, returnsRead: 3 } }),
    makeRun({ id: 2, flow: 'health', counts: { systems: 2, reachable: 1 } }),
    makeRun({
      id: 1,
      flow: 'stock',
      outcome: 'failed',
      counts: { skusRead: 120 },
      error: 'SAP did not answer the stock query in 60 s\nsecond line of the error',
    }),
  ];

  test('hides the minute-by-minute health checks until asked, and names counts in words', async () => {
    const { api, screen } = await renderConsole((a) => (a.runs = runs), { hash: '#/runs' });
    await expect.element(screen.getByTestId('run-3')).toBeVisible();
    await expect.element(screen.getByTestId('run-4')).not.toBeInTheDocument();
    await expect.poll(() => screen.getByTestId('run-3').element().textContent).toContain('1 refund requests settled · 3 returns read');
    expect(api.queriesNamed('runs.list').at(-1)?.exceptFlows).toEqual(['health']);

    await screen.getByLabelText('Show health checks').click();
    await expect.element(screen.getByTestId('run-4')).toBeVisible();
    await expect.element(screen.getByTestId('run-2')).toBeVisible();
  });

  test('a run opens with its counts and its whole error', async () => {
    const { screen } = await renderConsole((a) => (a.runs = runs), { hash: '#/runs' });
    await screen.getByTestId('run-1').click();
    const detail = screen.getByTestId('run-detail');
    await expect.poll(() => detail.element().textContent).toContain('Failed');
    await expect.poll(() => detail.element().textContent).toMatch(/SKUs read\s*120/);
    await expect
      .poll(() => screen.getByTestId('run-error').element().textContent)
      .toContain('SAP did not answer the stock query in 60 s\nsecond line of the error');
    await screen.getByRole('button', { name: 'Close the run' }).click();
    await expect.element(detail).not.toBeInTheDocument();
  });
});
