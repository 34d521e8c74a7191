import { describe, expect, test } from 'vitest';
import { makeFlow, makeRun, makeStatus } from './fixtures';
import { renderConsole } from './render-console';

describe('Overview', () => {
  test('shows the engine state, health and one row per flow', async () => {
    const { screen } = await renderConsole((api) => {
      // An engine without the settlement flow.
      const status = makeStatus({ health: 'attention', openExceptions: 4 });
      api.status = { ...status, flows: status.flows.filter((f) => f.flow !== 'settlement') };
    });
    await expect.element(screen.getByTestId('engine-state')).toHaveTextContent('Running');
    await expect.element(screen.getByTestId('engine-health')).toMatchTextContent('Needs attention');
    await expect.element(screen.getByTestId('open-exceptions')).toMatchTextContent('4');
    await expect.element(screen.getByTestId('flow-despatch')).toMatchTextContent('Despatch');
    // Only the flows the engine has: no row for one it does not run.
    await expect.element(screen.getByTestId('flow-stock')).toBeVisible();
    expect(screen.getByTestId('flow-settlement').elements()).toHaveLength(0);
  });

  test('"Run now" sends engine.runNow for all flows and says what started', async () => {
    const { api, screen } = await renderConsole();
    await screen.getByRole('button', { name: 'Run now', exact: true }).click();
    await expect.element(screen.getByTestId('notice')).toMatchTextContent('Started: Health check, Orders');
    expect(api.commandsNamed('engine.runNow')).toEqual([{}]);
  });

  test('a per-flow run button sends engine.runNow for that flow only', async () => {
    const { api, screen } = await renderConsole();
    await screen.getByRole('button', { name: 'Run Despatch now' }).click();
    await expect.element(screen.getByTestId('notice')).toMatchTextContent('Started: Despatch.');
    expect(api.commandsNamed('engine.runNow')).toEqual([{ flow: 'despatch' }]);
  });

  test('a status.changed event updates the engine state and the buttons', async () => {
    const { api, screen } = await renderConsole();
    await expect.element(screen.getByTestId('engine-state')).toHaveTextContent('Running');
    await screen.getByRole('button', { name: 'Pause' }).click();
    expect(api.commandsNamed('engine.pause')).toEqual([{}]);

    api.emit('status.changed', makeStatus({ state: 'paused', revision: 2 }));
    await expect.element(screen.getByTestId('engine-state')).toHaveTextContent('Paused');
    await screen.getByRole('button', { name: 'Resume' }).click();
    expect(api.commandsNamed('engine.resume')).toEqual([{}]);

    // An older revision arriving late does not undo the newer one.
    api.emit('status.changed', makeStatus({ state: 'running', revision: 1 }));
    await expect.element(screen.getByTestId('engine-state')).toHaveTextContent('Paused');
  });

  test('says on every screen that sync has stopped while the ledger’s disk is full, until it has room again', async () => {
    const full = {
      since: '2026-11-30T09:00:00.000Z',
      message: 'Sync has stopped: the disk the ledger is on is full (C:\\ProgramData\\Console\\ledger.db). Nothing is lost. Free some space on that disk.',
    };
    const { api, screen } = await renderConsole((api) => {
      api.status = makeStatus({ health: 'failing', ledgerFull: full });
    });
    await expect.element(screen.getByTestId('ledger-full')).toMatchTextContent('the disk the ledger is on is full');
    await expect.element(screen.getByTestId('engine-health')).toMatchTextContent('Failing');
    api.emit('status.changed', makeStatus({ ledgerFull: null, revision: 2 }));
    await expect.element(screen.getByTestId('ledger-full')).not.toBeInTheDocument();
  });

  test('shows the DRY RUN banner, failure streaks, drift and the last run', async () => {
    const { screen } = await renderConsole((api) => {
      api.status = makeStatus({
        dryRun: true,
        flows: [
          makeFlow({
            flow: 'stock',
            failureStreak: 3,
            driftSeconds: 600,
            lastRun: makeRun({ flow: 'stock', outcome: 'failed', counts: { read: 40, rejected: 2 }, error: 'HTTP 503' }),
          }),
        ],
      });
    });
    await expect.element(screen.getByTestId('dry-run-banner')).toMatchTextContent('DRY RUN');
    const row = screen.getByTestId('flow-stock');
    await expect.element(row).toMatchTextContent('Failed');
    await expect.element(row).toMatchTextContent('40 read · 2 rejected');
    await expect.element(row).toMatchTextContent('10 min late');
    await expect.element(row.getByRole('cell', { name: '3', exact: true })).toBeVisible();
  });

  test('shows IT when the ledger was last backed up, and says so plainly when the backup failed or is off', async () => {
    const { api, screen } = await renderConsole();
    const figure = screen.getByTestId('ledger-backup');
    await expect.element(figure).toHaveTextContent('3 h ago (48.0 MB, checked)');
    await expect.element(figure).toHaveAttribute('data-backup', 'ok');

    api.ledgerBackup = {
      ...api.ledgerBackup,
      failure: { at: new Date(Date.now() - 20 * 60_000).toISOString(), error: 'ENOSPC: no space left on device' },
    };
    api.emit('run.finished', makeRun({ flow: 'health' }));
    await expect.element(figure).toHaveTextContent('Failed 20 min ago');
    await expect.element(figure).toHaveAttribute('data-backup', 'failing');
    await expect.element(figure).toHaveAttribute('title', expect.stringContaining('ENOSPC: no space left on device'));

    api.ledgerBackup = { ...api.ledgerBackup, enabled: false, failure: null };
    api.emit('run.finished', makeRun({ flow: 'health' }));
    await expect.element(figure).toHaveTextContent('Off');
  });
});
