import { afterEach, describe, expect, test, vi } from 'vitest';
import { makeOrder } from './fake-orders';
import { makeCycle, makeLine, makeTotals, makeUnpaid } from './fake-settlement';
import type { FakeApi } from './fake-api';
import { makeSettings, makeStatus } from './fixtures';
import { renderConsole } from './render-console';

const PAYOUTS = '#/payouts';

/** Three cycles: one that ties and is posted, one a penny out with variances, and one still being read. */
function threeCycles(a: FakeApi) {
  a.settlement.cycles = [
    makeCycle({
      cycleId: 'C-2026-12',
      startDate: '2026-12-16T00:00:00Z',
      endDate: '2027-01-15T23:59:59Z',
      amountTransferred: null,
      tieOut: 'reading',
      read: { lines: 4000, pages: 2, done: false },
      reconciledAt: null,
    }),
    makeCycle({ tieOut: 'differs', tieOutDifference: '0.01', variances: 2, unpaidInSap: 1 }),
    makeCycle({
      cycleId: 'C-2026-10',
      startDate: '2026-10-16T00:00:00Z',
      endDate: '2026-11-15T23:59:59Z',
      amountTransferred: '980.00',
      posted: { purchaseInvoiceDocNum: 901, paymentDocNum: 902, at: '2026-11-17T09:00:00Z' },
    }),
  ];
}

/** The November cycle across the month end: its totals, December's part of it, its lines and an SAP credit memo it does not pay. */
function novemberCycle(a: FakeApi) {
  threeCycles(a);
  a.settlement.details['C-2026-11'] = {
    totals: makeTotals({ sales: '1100.00', vat: '220.00', refunds: '-20.00', commission: '-55.00', commissionVat: '-10.44', netPayout: '1234.56' }),
    months: [
      makeTotals({ month: '2026-11', sales: '1090.00', vat: '220.00', commission: '-55.00', commissionVat: '-10.44', netPayout: '1244.56' }),
      makeTotals({ month: '2026-12', sales: '10.00', refunds: '-20.00', netPayout: '-10.00' }),
    ],
    unpaidInSap: [makeUnpaid()],
  };
  a.settlement.lines['C-2026-11'] = [
    makeLine(),
    makeLine({
      lineId: 'L2',
      amount: '10.00',
      date: '2026-12-01T00:30:00Z',
      month: '2026-12',
      orderId: '000000302-A',
      numAtCard: '000000302',
      class: 'amount-differs',
      sapDocument: { kind: 'invoice', docEntry: 1502, docNum: 502 },
      difference: { net: '-0.01', vat: '0.00' },
    }),
    makeLine({ lineId: 'L3', orderId: '000000303-A', numAtCard: '000000303', class: 'missing-in-sap', sapDocument: null }),
    makeLine({
      lineId: 'L4',
      kind: 'commission',
      typeCode: 'COMMISSION_FEE',
      amount: '-55.00',
      orderId: null,
      numAtCard: null,
      class: 'fee',
      sapDocument: null,
    }),
    makeLine({
      lineId: 'L5',
      kind: 'refund',
      typeCode: 'REFUND_ORDER_AMOUNT',
      amount: '-20.00',
      month: '2026-12',
      date: '2026-12-03T09:00:00Z',
      refundId: 'R-9001',
      sapDocument: { kind: 'credit-memo', docEntry: 1077, docNum: 77 },
    }),
  ];
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** The files the console handed the browser to save: their names and contents. */
function captureDownloads() {
  const saved: { fileName: string; href: string }[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    if (this.download) saved.push({ fileName: this.download, href: this.href });
  });
  return saved;
}

describe('Payouts', () => {
  test('lists the cycles with dates, amount transferred, tie-out, variances, unpaid in SAP and posted, and filters them', async () => {
    const { api, screen } = await renderConsole(threeCycles, { hash: PAYOUTS });
    await expect
      .element(screen.getByTestId('cycle-C-2026-12'))
      .toMatchTextContent(/16 Dec 2026 – 15 Jan 2027.*—.*Being read: 4,000 lines, 2 pages.*0.*0.*Not posted/);
    await expect
      .element(screen.getByTestId('cycle-C-2026-11'))
      .toMatchTextContent(/C-2026-11.*16 Nov 2026 – 15 Dec 2026.*£1,234\.56.*Differs by £0\.01.*2.*1.*Not posted/);
    await expect
      .element(screen.getByTestId('cycle-C-2026-10'))
      .toMatchTextContent(/16 Oct 2026 – 15 Nov 2026.*£980\.00.*Ties.*A\/P Invoice 901 · Incoming Payment 902/);
    await expect.element(screen.getByTestId('payouts-total')).toHaveTextContent('3 cycles');
    // A posted cycle cannot be ticked for posting again.
    await expect.element(screen.getByRole('checkbox', { name: 'Select cycle C-2026-10' })).not.toBeInTheDocument();

    await screen.getByRole('button', { name: 'Not yet posted' }).click();
    await expect.poll(() => api.queriesNamed('payouts.list').at(-1)).toMatchObject({ filter: 'not-posted' });
    await expect.element(screen.getByTestId('cycle-C-2026-10')).not.toBeInTheDocument();
    await expect.element(screen.getByTestId('payouts-total')).toHaveTextContent('2 cycles');

    await screen.getByRole('button', { name: 'Has variances' }).click();
    await expect.poll(() => api.queriesNamed('payouts.list').at(-1)).toMatchObject({ filter: 'has-variances' });
    await expect.element(screen.getByTestId('cycle-C-2026-12')).not.toBeInTheDocument();
    await expect.element(screen.getByTestId('payouts-total')).toHaveTextContent('1 cycle');

    await screen.getByRole('button', { name: 'Not yet posted' }).click();
    await screen.getByRole('button', { name: 'All cycles' }).click();
    await expect.element(screen.getByTestId('cycle-C-2026-10')).toBeInTheDocument();
  });

  test('says so when no cycle has been read, and when the engine does not run the settlement flow', async () => {
    const { screen } = await renderConsole((a) => (a.status = makeStatus({ flows: makeStatus().flows.filter((f) => f.flow !== 'settlement') })), {
      hash: PAYOUTS,
    });
    await expect.element(screen.getByTestId('payouts-table-empty')).toMatchTextContent('No billing cycles read yet');
    await expect.element(screen.getByTestId('flow-notice')).toMatchTextContent('This engine does not run the settlement flow');
  });

  test('a cycle opens with its totals beside each month’s (a line in the next month counts there), its lines by class and the SAP documents it does not pay', async () => {
    const { api, screen } = await renderConsole(
      (a) => {
        novemberCycle(a);
        a.orders.details = [
          {
            order: makeOrder({ orderId: '000000302-A' }),
            lines: [],
            events: [{ id: 1, at: new Date().toISOString(), source: 'sap', summary: 'A/R Invoice 502 found in SAP' }],
          },
        ];
      },
      { hash: PAYOUTS },
    );
    await screen.getByTestId('cycle-C-2026-11').click();
    await expect.poll(() => api.queriesNamed('payouts.get')).toContainEqual({ cycleId: 'C-2026-11' });
    const detail = screen.getByRole('region', { name: 'Billing cycle' });
    await expect
      .element(detail.getByTestId('cycle-summary'))
      .toMatchTextContent(/Transferred £1,234\.56 \(reference PAY-7781\) · Tie-out: Differs by £0\.01 · 2 variances · 1 unpaid in SAP · Not posted/);

    const totals = detail.getByTestId('payout-totals');
    await expect.element(totals.getByRole('columnheader', { name: /^Whole cycle$/ })).toBeInTheDocument();
    await expect.element(totals.getByTestId('month-2026-11')).toMatchTextContent('November 2026');
    await expect.element(totals.getByTestId('month-2026-12')).toMatchTextContent('December 2026');
    await expect.element(totals.getByTestId('total-netPayout')).toMatchTextContent(/Net payout.*£1,234\.56.*£1,244\.56.*-£10\.00/);
    await expect.element(totals.getByTestId('total-commissionVat')).toMatchTextContent(/Commission VAT.*-£10\.44.*-£10\.44.*£0\.00/);
    await expect.element(totals.getByTestId('total-refunds')).toMatchTextContent(/Refunds.*-£20\.00.*£0\.00.*-£20\.00/);

    // Every line, in the console's words, with its SAP document and what differs.
    await expect.element(detail.getByTestId('lines-total')).toHaveTextContent('5 lines');
    await expect
      .element(detail.getByTestId('line-L1'))
      .toMatchTextContent(/Matched.*Sale.*ORDER_AMOUNT.*November 2026.*£100\.00.*Paid.*000000301-A.*000000301.*A\/R Invoice 501/);
    await expect
      .element(detail.getByTestId('line-L2'))
      .toMatchTextContent(/Amount differs.*01 Dec.*00:30.*December 2026.*£10\.00.*000000302-A.*A\/R Invoice 502.*net -£0\.01 · VAT £0\.00/);
    await expect.element(detail.getByTestId('line-L5')).toMatchTextContent(/Matched.*Refund.*-£20\.00.*R-9001.*Credit Memo 77/);
    await expect.element(detail.getByTestId('line-L4')).toMatchTextContent(/Fees.*Commission.*COMMISSION_FEE.*-£55\.00/);

    // A filter per class: the engine is asked for that class only.
    await detail.getByRole('button', { name: 'Missing in SAP' }).click();
    await expect.poll(() => api.queriesNamed('payouts.lines').at(-1)).toMatchObject({ cycleId: 'C-2026-11', class: 'missing-in-sap' });
    await expect.element(detail.getByTestId('line-L1')).not.toBeInTheDocument();
    await expect.element(detail.getByTestId('line-L3')).toMatchTextContent(/Missing in SAP.*000000303-A/);
    await expect.element(detail.getByTestId('lines-total')).toHaveTextContent('1 line');
    await detail.getByRole('button', { name: 'Amount differs' }).click();
    await expect.element(detail.getByTestId('line-L2')).toBeInTheDocument();
    await expect.element(detail.getByTestId('line-L3')).not.toBeInTheDocument();

    // The SAP documents of the period that no line pays.
    await expect.element(detail.getByTestId('unpaid-credit-memo-88')).toMatchTextContent(/Credit Memo 88.*000000355-A.*000000355.*28 Nov 2026.*-£24\.99/);

    // The order's timeline, from its line.
    await detail.getByRole('button', { name: 'Timeline of order 000000302-A' }).click();
    await expect.element(screen.getByTestId('order-timeline')).toMatchTextContent('A/R Invoice 502 found in SAP');
  });

  test('exports a cycle, a month from its column, and a month from the list, and saves the file the engine built', async () => {
    const saved = captureDownloads();
    const { api, screen } = await renderConsole(novemberCycle, { hash: PAYOUTS });
    await screen.getByTestId('cycle-C-2026-11').click();
    const detail = screen.getByRole('region', { name: 'Billing cycle' });

    await detail.getByRole('button', { name: 'Export the cycle as XLSX' }).click();
    await expect.poll(() => api.queriesNamed('payouts.export')).toEqual([{ cycleId: 'C-2026-11', format: 'xlsx' }]);
    await expect.poll(() => saved.map((s) => s.fileName)).toEqual(['payouts-cycle-C-2026-11.xlsx']);
    const blob = await (await fetch(saved[0]!.href)).blob();
    expect(blob.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(await blob.text()).toBe('Cycle,Line,Amount\ncycle-C-2026-11,L1,100.00\n');
    await expect.element(screen.getByTestId('notice')).toMatchTextContent('Saved payouts-cycle-C-2026-11.xlsx.');

    await detail.getByRole('button', { name: 'Export December 2026 as CSV' }).click();
    await expect.poll(() => api.queriesNamed('payouts.export').at(-1)).toEqual({ month: '2026-12', format: 'csv' });
    await expect.poll(() => saved.map((s) => s.fileName)).toContain('payouts-2026-12.csv');

    const monthForm = screen.getByRole('form', { name: 'Export a month' });
    await monthForm.getByLabelText('Export a month').fill('2026-10');
    await monthForm.getByRole('button', { name: 'XLSX' }).click();
    await expect.poll(() => api.queriesNamed('payouts.export').at(-1)).toEqual({ month: '2026-10', format: 'xlsx' });
    await expect.poll(() => saved.map((s) => s.fileName)).toContain('payouts-2026-10.xlsx');
  });

  test('an export the engine cannot make says why and saves nothing', async () => {
    const saved = captureDownloads();
    const { screen } = await renderConsole(
      (a) => {
        novemberCycle(a);
        a.failQueries['payouts.export'] = 'Cycle C-2026-11 is still being read';
      },
      { hash: PAYOUTS },
    );
    await screen.getByTestId('cycle-C-2026-11').click();
    await screen.getByRole('button', { name: 'Export the cycle as CSV' }).click();
    await expect.element(screen.getByTestId('notice')).toMatchTextContent('Could not export cycle C-2026-11: Cycle C-2026-11 is still being read');
    expect(saved).toEqual([]);
  });

  test('posts the ticked cycles to SAP after a confirmation and shows per cycle what was posted or why not', async () => {
    const { api, screen } = await renderConsole(
      (a) => {
        threeCycles(a);
        a.settings = makeSettings({
          settlement: { readFrom: null, posting: { enabled: true, supplierCode: 'V-JLM', feeAccount: '6100', inputVatGroup: 'I1', bankAccount: '1020' } },
        });
        a.settlement.postOutcomes = {
          'C-2026-12': { outcome: 'refused', message: 'The cycle is still being read: 4,000 lines so far' },
        };
      },
      { hash: PAYOUTS },
    );
    await expect.element(screen.getByTestId('cycle-C-2026-11')).toBeInTheDocument();
    await expect.element(screen.getByTestId('posting-off')).not.toBeInTheDocument();
    await screen.getByRole('checkbox', { name: 'Select cycle C-2026-12' }).click();
    await screen.getByRole('checkbox', { name: 'Select cycle C-2026-11' }).click();
    // Ticking is not opening the cycle.
    await expect.element(screen.getByTestId('cycle-detail')).not.toBeInTheDocument();
    await screen.getByRole('button', { name: 'Post 2 cycles to SAP' }).click();
    const confirm = screen.getByRole('group', { name: 'Confirm posting' });
    await expect.element(confirm).toMatchTextContent('Post 2 cycles (C-2026-12, C-2026-11) to SAP');
    expect(api.commandsNamed('payouts.post')).toEqual([]);
    await confirm.getByRole('button', { name: 'Post to SAP' }).click();

    await expect.poll(() => api.commandsNamed('payouts.post')).toEqual([{ cycleIds: ['C-2026-12', 'C-2026-11'], actor: 'Priya Shah' }]);
    await expect
      .element(screen.getByTestId('post-result-C-2026-12'))
      .toHaveTextContent('C-2026-12: Not posted — The cycle is still being read: 4,000 lines so far');
    await expect.element(screen.getByTestId('post-result-C-2026-11')).toHaveTextContent('C-2026-11: Posted — A/P Invoice 901 and Incoming Payment 902');
    await expect.element(screen.getByTestId('cycle-C-2026-11')).toMatchTextContent('A/P Invoice 901 · Incoming Payment 902');
  });

  test('under dry run, posting a cycle from its detail says what it would post', async () => {
    const { api, screen } = await renderConsole(
      (a) => {
        novemberCycle(a);
        a.status = makeStatus({ dryRun: true });
        a.settlement.postOutcomes = { 'C-2026-11': { outcome: 'would-post', message: 'A/P Invoice of £65.44 from V-JLM, Incoming Payment of £1,234.56' } };
      },
      { hash: PAYOUTS },
    );
    await expect.element(screen.getByText('Dry run is on: Post to SAP says what it would post and posts nothing to SAP.')).toBeInTheDocument();
    // Posting is off in these settings: the screen says what Post to SAP will do.
    await expect.element(screen.getByTestId('posting-off')).toBeInTheDocument();
    await screen.getByTestId('cycle-C-2026-11').click();
    await screen.getByRole('region', { name: 'Billing cycle' }).getByRole('button', { name: 'Post to SAP' }).click();
    const confirm = screen.getByRole('group', { name: 'Confirm posting' });
    await expect.element(confirm).toMatchTextContent('Dry run: see what would be posted to SAP for 1 cycle (C-2026-11). Nothing is posted.');
    await confirm.getByRole('button', { name: 'Show what would be posted' }).click();
    await expect.poll(() => api.commandsNamed('payouts.post')).toEqual([{ cycleIds: ['C-2026-11'], actor: 'Priya Shah' }]);
    await expect
      .element(screen.getByTestId('post-result-C-2026-11'))
      .toHaveTextContent('C-2026-11: Would post (dry run) — A/P Invoice of £65.44 from V-JLM, Incoming Payment of £1,234.56');
    await expect.element(screen.getByTestId('cycle-C-2026-11')).toMatchTextContent('Not posted');
  });

  test('Reconcile again asks the engine for that cycle with the operator’s name, and the cycle is read again after the settlement run', async () => {
    const { api, screen } = await renderConsole(novemberCycle, { hash: PAYOUTS });
    await screen.getByTestId('cycle-C-2026-11').click();
    await screen.getByRole('button', { name: 'Reconcile again' }).click();
    await expect.poll(() => api.commandsNamed('payouts.reconcile')).toEqual([{ cycleId: 'C-2026-11', actor: 'Priya Shah' }]);
    await expect
      .element(screen.getByTestId('payouts-message'))
      .toHaveTextContent('Reconciling cycle C-2026-11 again: the figures change when the settlement run ends.');

    const asked = api.queriesNamed('payouts.get').length;
    api.settlement.cycles = api.settlement.cycles.map((c) => (c.cycleId === 'C-2026-11' ? { ...c, tieOut: 'ties', tieOutDifference: null } : c));
    api.finishRun({
      id: 40,
      flow: 'settlement',
      trigger: 'manual',
      startedAt: new Date().toISOString(),
      endedAt: new Date().toISOString(),
      outcome: 'succeeded',
      counts: { lines: 5 },
      error: null,
      dryRun: false,
    });
    await expect.poll(() => api.queriesNamed('payouts.get').length).toBeGreaterThan(asked);
    await expect.element(screen.getByTestId('cycle-summary')).toMatchTextContent('Tie-out: Ties');
    await expect.element(screen.getByTestId('cycle-C-2026-11')).toMatchTextContent('Ties');
  });

  test('a cycle John Lewis gives only its creation day for shows that day alone, not a range without an end', async () => {
    const { screen } = await renderConsole(
      (a) => {
        a.settlement.cycles = [makeCycle({ cycleId: 'C-JL', startDate: '2026-11-30T02:00:00Z', endDate: null })];
      },
      { hash: PAYOUTS },
    );
    await expect.poll(() => screen.getByTestId('cycle-C-JL').element().textContent).toContain('30 Nov 2026');
    expect(screen.getByTestId('cycle-C-JL').element().textContent).not.toContain('–');
  });

  test('a posted cycle can be posted again after its payment was reversed in SAP, with a warning that nothing is sent while it stands', async () => {
    const { api, screen } = await renderConsole(novemberCycle, { hash: PAYOUTS });
    await screen.getByTestId('cycle-C-2026-10').click();
    const cycle = screen.getByRole('region', { name: 'Billing cycle' });
    await expect.element(cycle.getByTestId('cycle-summary')).toMatchTextContent('A/P Invoice 901 · Incoming Payment 902');
    await cycle.getByRole('button', { name: 'Post again after a reversal' }).click();
    const confirm = screen.getByRole('group', { name: 'Confirm posting' });
    await expect.element(confirm).toMatchTextContent('posted again only if its Incoming Payment has been cancelled in SAP');
    await confirm.getByRole('button', { name: 'Post to SAP' }).click();
    await expect.poll(() => api.calls.filter((c) => c.name === 'payouts.post').map((c) => c.request)).toMatchObject([{ cycleIds: ['C-2026-10'] }]);
  });

  test('without the operator’s name nothing can be reconciled or posted, and exporting still works', async () => {
    const { screen } = await renderConsole(novemberCycle, { hash: PAYOUTS, actor: null });
    await expect.element(screen.getByText('Give your name at the top first: reconciling and posting are recorded against it.')).toBeInTheDocument();
    await expect.element(screen.getByRole('button', { name: 'Reconcile now' })).toBeDisabled();
    await screen.getByTestId('cycle-C-2026-11').click();
    await expect.element(screen.getByRole('button', { name: 'Reconcile again' })).toBeDisabled();
    await expect.element(screen.getByRole('region', { name: 'Billing cycle' }).getByRole('button', { name: 'Post to SAP' })).toBeDisabled();
    await expect.element(screen.getByRole('button', { name: 'Export the cycle as CSV' })).toBeEnabled();
  });
});
