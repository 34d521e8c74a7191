import { describe, expect, test } from 'vitest';
import { makeOrder } from './fake-orders';
import { makeBatch, makeInvoiceDocument } from './fake-finance';
import { makeStatus } from './fixtures';
import { renderConsole } from './render-console';

const INVOICING = '#/invoicing';

describe('Invoicing', () => {
  test('shows the batches with when, trigger, how many, posted, failed and the total in pounds, what waits and when the next batch runs', async () => {
    const { screen } = await renderConsole(
      (a) => {
        a.finance.batches = [
          makeBatch({ id: 2, trigger: 'manual', dryRun: true, documents: 1, posted: 0, failed: 0, total: '53.9' }),
          makeBatch(),
          makeBatch({ id: 3, trigger: 'return', documents: 1, posted: 1, failed: 0, total: '19.99' }),
        ];
        a.finance.waiting = 12;
        a.finance.nextRunAt = '2026-11-26T02:00:00.000Z';
      },
      { hash: INVOICING },
    );
    await expect.element(screen.getByTestId('batch-1')).toMatchTextContent(/25 Nov.*02:00:00.*Schedule.*3.*2.*1.*£1,234\.56/);
    await expect.element(screen.getByTestId('batch-2')).toMatchTextContent(/Run now.*1.*0.*0.*£53\.90.*dry run: would post/);
    await expect.element(screen.getByTestId('batch-3')).toMatchTextContent('For a refund or return');
    await expect.element(screen.getByTestId('batch-1')).not.toMatchTextContent('dry run');
    await expect.element(screen.getByTestId('invoicing-waiting')).toHaveTextContent('12 delivered orders');
    await expect.element(screen.getByTestId('invoicing-next')).toMatchTextContent(/^26 Nov.*02:00:00/);
  });

  test('one order waiting reads in the singular, and none scheduled says so', async () => {
    const { screen } = await renderConsole(
      (a) => {
        a.finance.waiting = 1;
        a.finance.nextRunAt = null;
      },
      { hash: INVOICING },
    );
    await expect.element(screen.getByTestId('invoicing-waiting')).toHaveTextContent('1 delivered order');
    await expect.element(screen.getByTestId('invoicing-next')).toHaveTextContent('None scheduled');
    await expect.element(screen.getByTestId('batches-table-empty')).toMatchTextContent('No invoicing batch has run yet');
  });

  test('Run now starts a batch with the operator’s name and shows it in the list', async () => {
    const { api, screen } = await renderConsole(
      (a) => {
        a.finance.batches = [makeBatch()];
        a.finance.waiting = 4;
      },
      { hash: INVOICING },
    );
    await expect.element(screen.getByTestId('batch-1')).toBeInTheDocument();
    await screen.getByRole('button', { name: 'Run invoicing now' }).click();
    await expect.poll(() => api.commandsNamed('invoicing.runNow')).toEqual([{ actor: 'Priya Shah' }]);
    await expect
      .element(screen.getByTestId('invoicing-message'))
      .toHaveTextContent('Invoicing batch started: it shows in the list below, and its invoices when it ends.');
    await expect.element(screen.getByTestId('batch-2')).toMatchTextContent(/running.*Run now/);
  });

  test('Run now that did not start says so', async () => {
    const { screen } = await renderConsole((a) => (a.finance.startsBatch = false), { hash: INVOICING });
    await screen.getByRole('button', { name: 'Run invoicing now' }).click();
    await expect.element(screen.getByTestId('invoicing-message')).toMatchTextContent('The engine did not start a batch now');
  });

  test('a batch opens its invoices: order, customer’s number, customer, Delivery Notes, Invoice, SAP total against the marketplace’s, outcome, problem', async () => {
    const order = makeOrder({ orderId: '000000302-A' });
    const { api, screen } = await renderConsole(
      (a) => {
        a.finance.batches = [makeBatch()];
        a.finance.documents = {
          1: [
            makeInvoiceDocument(),
            makeInvoiceDocument({
              orderId: '000000302-A',
              numAtCard: '000000302',
              customer: 'JLM-CUSTOMER',
              deliveryDocNums: [31, 32],
              invoiceDocNum: 56,
              total: '43.94',
              marketplaceTotal: '43.93',
              outcome: 'found',
            }),
            makeInvoiceDocument({
              orderId: '000000303-A',
              numAtCard: '000000303',
              invoiceDocNum: null,
              total: null,
              marketplaceTotal: '12.00',
              outcome: 'failed',
              problem: { id: 8, type: 'invoice-refused', summary: 'SAP refused the A/R Invoice', rawError: 'Document is already closed' },
            }),
          ],
        };
        a.orders.details = [{ order, lines: [], events: [{ id: 1, at: new Date().toISOString(), source: 'sap', summary: 'A/R Invoice 56 found in SAP' }] }];
      },
      { hash: INVOICING },
    );
    await screen.getByTestId('batch-1').click();
    await expect.poll(() => api.queriesNamed('invoicing.batch')).toContainEqual({ id: 1 });
    const detail = screen.getByRole('region', { name: 'Invoicing batch' });
    await expect.element(detail.getByTestId('batch-summary')).toHaveTextContent('Schedule · 3 orders · 2 posted · 1 failed · total £1,234.56');
    await expect
      .element(detail.getByTestId('invoice-000000301-A'))
      .toMatchTextContent(/Posted.*000000301-A.*000000301.*JLM-CUSTOMER.*31.*55.*£43\.93.*£43\.93/);
    await expect.element(detail.getByTestId('invoice-000000301-A')).not.toMatchTextContent('differs');
    await expect
      .element(detail.getByTestId('invoice-000000302-A'))
      .toMatchTextContent(/Already in SAP.*000000302.*31, 32.*56.*£43\.94 differs by £0\.01.*£43\.93/);
    await expect.element(detail.getByTestId('invoice-000000303-A')).toMatchTextContent(/Failed.*000000303-A.*—.*£12\.00.*SAP refused the A\/R Invoice/);

    await detail.getByRole('button', { name: 'Timeline of order 000000302-A' }).click();
    await expect.element(screen.getByTestId('order-timeline')).toMatchTextContent('A/R Invoice 56 found in SAP');
  });

  test('a dry-run batch says nothing was posted', async () => {
    const { screen } = await renderConsole(
      (a) => {
        a.status = makeStatus({ dryRun: true });
        a.finance.batches = [makeBatch({ dryRun: true, posted: 0, failed: 0 })];
        a.finance.documents = { 1: [makeInvoiceDocument({ outcome: 'would-post', invoiceDocNum: null })] };
      },
      { hash: INVOICING },
    );
    await expect.element(screen.getByText('Dry run is on: a batch records the invoices it would post and posts nothing to SAP.')).toBeInTheDocument();
    await screen.getByTestId('batch-1').click();
    await expect.element(screen.getByText('Dry run: nothing was posted to SAP. These are the invoices this batch would have posted.')).toBeInTheDocument();
    await expect.element(screen.getByTestId('invoice-000000301-A')).toMatchTextContent('Would post (dry run)');
  });
});
