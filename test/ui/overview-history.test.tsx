import { describe, expect, test } from 'vitest';
import { makeException } from './fixtures';
import { renderConsole } from './render-console';

const HOUR = 3_600_000;
const windows = (count: number, p50: number, p95: number) =>
  Array.from({ length: count }, (_, i) => ({
    at: new Date(Date.now() - (count - i) * 15 * 60_000).toISOString(),
    requests: 10,
    failures: i % 10 === 0 ? 1 : 0,
    p50,
    p95,
  }));

describe('Overview: the day at a glance', () => {
  test('shows what is due first, each system’s day with its chart, each flow’s latest runs and the call budget', async () => {
    const { screen } = await renderConsole((a) => {
      a.history = {
        ...a.history,
        systems: [
          { system: 'sap-b1', windows: windows(96, 200, 750), total: { at: a.history.from, requests: 960, failures: 10, p50: 200, p95: 750 } },
          { system: 'marketplace', windows: windows(96, 300, 1_000), total: { at: a.history.from, requests: 120, failures: 0, p50: 300, p95: 1_000 } },
        ],
        flows: [
          {
            flow: 'orders',
            runs: [
              { id: 1, startedAt: new Date(Date.now() - 3 * 60_000).toISOString(), outcome: 'succeeded' },
              { id: 2, startedAt: new Date(Date.now() - 2 * 60_000).toISOString(), outcome: 'failed' },
              { id: 3, startedAt: new Date(Date.now() - 60_000).toISOString(), outcome: 'succeeded' },
            ],
          },
        ],
        budget: [
          { operation: 'OR11', limit: 1, windowMs: 60_000, used: 1, pausedUntil: null },
          { operation: 'TL02', limit: 60, windowMs: HOUR, used: 12, pausedUntil: null },
        ],
        due: [makeException({ id: 9, summary: 'Order 000000104-A must be despatched', deadlineAt: new Date(Date.now() + 2 * HOUR).toISOString() })],
      };
    });
    const due = screen.getByTestId('needs-you');
    await expect.poll(() => due.element().textContent).toContain('in 2 h');
    await expect.element(screen.getByRole('link', { name: 'Order 000000104-A must be despatched' })).toHaveAttribute('href', '#/exceptions/9');

    await expect.poll(() => screen.getByTestId('system-sap-b1').element().textContent).toContain('960 requests · 1.0% failed · p50 ≤ 200 ms · p95 ≤ 750 ms');
    await expect.poll(() => screen.getByTestId('system-marketplace').element().textContent).toContain('0% failed');
    // The chart is drawn (uPlot's canvas) in the system's box.
    await expect.poll(() => screen.getByTestId('system-sap-b1').element().querySelector('canvas')).not.toBeNull();

    await expect.element(screen.getByRole('img', { name: 'Orders: last 3 runs, 1 failed' })).toBeVisible();
    await expect.poll(() => screen.getByTestId('budget-TL02').element().textContent).toContain('60 an hour12 of 60');
    await expect.poll(() => screen.getByTestId('budget-OR11').element().textContent).toContain('1 a minute1 of 1');
  });

  test('says plainly when nothing is due and nothing was asked of SAP or the marketplace yet', async () => {
    const { screen } = await renderConsole();
    await expect.poll(() => screen.getByTestId('needs-you').element().textContent).toContain('Nothing with a deadline is waiting.');
    await expect.element(screen.getByText(/No requests to SAP or the marketplace in the last/)).toBeVisible();
  });
  test('shows the engine’s own memory and its longest block, for IT', async () => {
    const { screen } = await renderConsole();
    await expect.poll(() => screen.getByTestId('engine-figures').element().textContent).toBe('151 MB (peak 248 MB, longest block 69 ms)');
  });
});
