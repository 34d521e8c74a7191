import { describe, expect, test } from 'vitest';
import { makeOrder } from './fake-orders';
import { makeRefund, makeRefundForm, makeReturn } from './fake-finance';
import { makeSettings } from './fixtures';
import { renderConsole } from './render-console';

const RETURNS = '#/returns';

describe('Returns', () => {
  test('shows the queue with order, customer’s number, marketplace state, stage and SAP documents, and filters it by stage and search', async () => {
    const { api, screen } = await renderConsole(
      (a) =>
        (a.finance.returns = [
          makeReturn(),
          makeReturn({
            returnId: '6f1c2b7e-0002',
            rma: 'RMA-1002',
            orderId: '000000302-A',
            numAtCard: '000000302',
            marketplaceState: 'RECEIVED',
            stage: 'blocked',
            sapReturnDocNum: 12,
            creditMemoDocNums: [88, 89],
            problem: { id: 5, type: 'credit-memo-refused', summary: 'SAP refused the Credit Memo', rawError: 'Quantity exceeds the open quantity' },
          }),
        ]),
      { hash: RETURNS },
    );
    await expect
      .element(screen.getByTestId('return-6f1c2b7e-0001'))
      .toMatchTextContent(/Waiting for the goods.*RMA-1001.*000000301-A.*000000301.*IN_PROGRESS.*SKU000001 × 1/);
    await expect
      .element(screen.getByTestId('return-6f1c2b7e-0002'))
      .toMatchTextContent(/Blocked.*RMA-1002.*000000302-A.*000000302.*RECEIVED.*12.*88, 89.*SAP refused the Credit Memo/);
    await expect.element(screen.getByTestId('returns-total')).toHaveTextContent('2 returns');

    await screen.getByRole('combobox', { name: 'Stage' }).first().selectOptions('Blocked');
    await expect.poll(() => api.queriesNamed('returns.list').at(-1)).toMatchObject({ stage: 'blocked' });
    await expect.element(screen.getByTestId('return-6f1c2b7e-0001')).not.toBeInTheDocument();
    await expect.element(screen.getByTestId('returns-total')).toHaveTextContent('1 return');

    await screen.getByRole('combobox', { name: 'Stage' }).first().selectOptions('All stages');
    await screen.getByPlaceholder("Return id, RMA, order id or customer's number").fill('000000301');
    await expect.poll(() => api.queriesNamed('returns.list').at(-1)).toMatchObject({ search: '000000301' });
    await expect.poll(() => api.queriesNamed('returns.list').at(-1)).not.toHaveProperty('stage');
    await expect.element(screen.getByTestId('return-6f1c2b7e-0002')).not.toBeInTheDocument();
    await expect.element(screen.getByTestId('return-6f1c2b7e-0001')).toBeInTheDocument();
  });

  test('marks the ticked returns received and lists the one the engine refused with its reason', async () => {
    const { api, screen } = await renderConsole(
      (a) => {
        a.finance.returns = [
          makeReturn(),
          makeReturn({ returnId: '6f1c2b7e-0002', rma: 'RMA-1002', orderId: '000000302-A' }),
          makeReturn({ returnId: '6f1c2b7e-0003', rma: 'RMA-1003', orderId: '000000303-A', stage: 'credited' }),
          makeReturn({ returnId: '6f1c2b7e-0004', rma: 'RMA-1004', orderId: '000000304-A', stage: 'blocked' }),
        ];
        a.finance.refuseReceipt = { '6f1c2b7e-0002': 'The return is closed on the marketplace' };
      },
      { hash: RETURNS },
    );
    // A return already credited cannot be ticked.
    await expect.element(screen.getByRole('checkbox', { name: 'Select return RMA-1001' })).toBeInTheDocument();
    await expect.element(screen.getByRole('checkbox', { name: 'Select return RMA-1003' })).not.toBeInTheDocument();
    await expect.element(screen.getByRole('checkbox', { name: 'Select return RMA-1004' })).toBeInTheDocument();
    await expect.element(screen.getByRole('button', { name: 'Mark received' })).toBeDisabled();

    await screen.getByRole('checkbox', { name: 'Select return RMA-1001' }).click();
    await expect.element(screen.getByRole('button', { name: 'Mark 1 return received' })).toBeEnabled();
    await screen.getByRole('checkbox', { name: 'Select return RMA-1002' }).click();
    await screen.getByRole('button', { name: 'Mark 2 returns received' }).click();

    await expect.poll(() => api.commandsNamed('returns.markReceived')).toEqual([{ returnIds: ['6f1c2b7e-0001', '6f1c2b7e-0002'], actor: 'Priya Shah' }]);
    await expect.element(screen.getByTestId('returns-message')).toMatchTextContent(/^1 return marked received: John Lewis is told at the next returns run/);
    await expect.element(screen.getByTestId('returns-message')).toMatchTextContent('1 return not marked received:');
    await expect.element(screen.getByTestId('returns-refused')).toHaveTextContent('RMA-1002: The return is closed on the marketplace');
    // The list is asked again: the received one has moved on.
    await expect.element(screen.getByTestId('return-6f1c2b7e-0001')).toMatchTextContent('Received, telling John Lewis');
  });

  test('where the warehouse books goods in by keying a Return in SAP, the screen says so and offers no Received', async () => {
    const { screen } = await renderConsole(
      (a) => {
        a.finance.returns = [makeReturn()];
        a.settings = makeSettings({ returns: { ...a.settings.returns, receivedBy: 'sap-return' } });
      },
      { hash: RETURNS },
    );
    await expect.element(screen.getByTestId('received-by-sap')).toMatchTextContent('keying a Return in SAP');
    await expect.element(screen.getByTestId('return-6f1c2b7e-0001')).toBeInTheDocument();
    await expect.element(screen.getByRole('checkbox', { name: 'Select return RMA-1001' })).not.toBeInTheDocument();
    await expect.element(screen.getByRole('button', { name: /^Mark .*received$/ })).not.toBeInTheDocument();
  });

  test('a return blocked after a refused decision, still waiting for the seller on the marketplace, can be accepted again', async () => {
    const { api, screen } = await renderConsole(
      (a) =>
        (a.finance.returns = [
          makeReturn({ stage: 'blocked', awaitingDecision: true, marketplaceState: 'WAITING_ACCEPTANCE' }),
          makeReturn({ returnId: '6f1c2b7e-0002', rma: 'RMA-1002', stage: 'blocked', awaitingDecision: false, marketplaceState: 'IN_PROGRESS' }),
        ]),
      { hash: RETURNS },
    );
    await screen.getByRole('button', { name: 'Accept return RMA-1001' }).click();
    await expect.poll(() => api.commandsNamed('returns.decide')).toEqual([expect.objectContaining({ returnId: '6f1c2b7e-0001', accepted: true })]);
    expect(screen.getByRole('button', { name: 'Accept return RMA-1002' }).elements()).toHaveLength(0);
  });

  test('accepts a return waiting for the seller, and refuses another with one of the marketplace’s reasons in words', async () => {
    const { api, screen } = await renderConsole(
      (a) =>
        (a.finance.returns = [
          makeReturn({ stage: 'awaiting-acceptance', marketplaceState: 'WAITING_ACCEPTANCE' }),
          makeReturn({ returnId: '6f1c2b7e-0002', rma: 'RMA-1002', stage: 'awaiting-acceptance', marketplaceState: 'WAITING_ACCEPTANCE' }),
        ]),
      { hash: RETURNS },
    );
    await expect.element(screen.getByTestId('return-6f1c2b7e-0001')).toMatchTextContent('Waiting for your decision');
    await screen.getByRole('button', { name: 'Accept return RMA-1001' }).click();
    await expect.poll(() => api.commandsNamed('returns.decide')).toEqual([{ returnId: '6f1c2b7e-0001', accepted: true, actor: 'Priya Shah' }]);
    await expect.element(screen.getByTestId('returns-message')).toHaveTextContent('Return RMA-1001 accepted.');

    await screen.getByRole('button', { name: 'Refuse return RMA-1002' }).click();
    const form = screen.getByRole('form', { name: 'Refuse return RMA-1002' });
    await expect.element(form.getByRole('button', { name: 'Refuse return' })).toBeDisabled();
    await expect.element(form.getByRole('radio', { name: 'The item is not eligible for return' })).toBeInTheDocument();
    await expect.element(form.getByRole('radio', { name: 'No return needed' })).toBeInTheDocument();
    await form.getByRole('radio', { name: 'The return window has closed' }).click();
    await form.getByRole('button', { name: 'Refuse return' }).click();
    await expect
      .poll(() => api.commandsNamed('returns.decide').at(-1))
      .toEqual({ returnId: '6f1c2b7e-0002', accepted: false, rejectionReasonCode: 'RETURN_REJECTION_WINDOW_CLOSED', actor: 'Priya Shah' });
    await expect.element(screen.getByTestId('returns-message')).toHaveTextContent('Return RMA-1002 refused: The return window has closed.');
    await expect.element(screen.getByTestId('return-6f1c2b7e-0002')).toMatchTextContent('Refused');
  });

  test('lists refunds with amounts in pounds, the reason in words and their Credit Memo, filtered by stage', async () => {
    const { api, screen } = await renderConsole(
      (a) =>
        (a.finance.refunds = [
          makeRefund({ returnId: '6f1c2b7e-0001' }),
          makeRefund({
            refundId: '9002',
            orderId: '000000302-A',
            amount: '1053.9',
            shippingAmount: '0',
            reasonCode: 'UNKNOWN_CODE',
            stage: 'waiting-invoice',
            creditMemoDocNum: null,
          }),
        ]),
      { hash: RETURNS },
    );
    await expect
      .element(screen.getByTestId('refund-9001'))
      .toMatchTextContent(/Credited in SAP.*9001.*000000301-A.*SKU000001.*1.*£19\.99.*£3\.95.*Item damaged.*6f1c2b7e-0001.*77/);
    await expect.element(screen.getByTestId('refund-9002')).toMatchTextContent(/Waiting for the invoice.*£1,053\.90.*£0\.00.*UNKNOWN_CODE.*No return/);
    await expect.element(screen.getByTestId('refunds-total')).toHaveTextContent('2 refunds');
    await screen.getByRole('combobox', { name: 'Stage' }).last().selectOptions('Waiting for the invoice');
    await expect.poll(() => api.queriesNamed('refunds.list').at(-1)).toMatchObject({ stage: 'waiting-invoice' });
    await expect.element(screen.getByTestId('refund-9001')).not.toBeInTheDocument();
    await expect.element(screen.getByTestId('refunds-total')).toHaveTextContent('1 refund');
  });

  test('a return’s and a refund’s order open that order’s timeline', async () => {
    const order = makeOrder({ orderId: '000000301-A', numAtCard: '000000301' });
    const { screen } = await renderConsole(
      (a) => {
        a.finance.returns = [makeReturn()];
        a.finance.refunds = [makeRefund()];
        a.orders.details = [
          {
            order,
            lines: [],
            events: [
              { id: 1, at: new Date().toISOString(), source: 'marketplace', summary: 'Order received from the marketplace' },
              { id: 2, at: new Date().toISOString(), source: 'sap', summary: 'Credit Memo 77 posted for refund 9001' },
            ],
          },
        ];
      },
      { hash: RETURNS },
    );
    await screen.getByTestId('return-6f1c2b7e-0001').getByRole('button', { name: 'Timeline of order 000000301-A' }).click();
    await expect.element(screen.getByTestId('order-timeline')).toMatchTextContent('Credit Memo 77 posted for refund 9001');
    await screen.getByRole('button', { name: 'Close order 000000301-A' }).click();
    await expect.element(screen.getByTestId('order-timeline')).not.toBeInTheDocument();
    await screen.getByTestId('refund-9001').getByRole('button', { name: 'Timeline of order 000000301-A' }).click();
    await expect.element(screen.getByTestId('order-timeline')).toMatchTextContent('Order received from the marketplace');
  });
});

describe('The refund form', () => {
  const open = async (setup: Parameters<typeof renderConsole>[0]) => {
    const rendered = await renderConsole(
      (a) => {
        a.finance.returns = [makeReturn()];
        a.finance.forms = [makeRefundForm()];
        setup?.(a);
      },
      { hash: RETURNS },
    );
    await rendered.screen.getByRole('button', { name: 'Refund on order 000000301-A' }).click();
    return { ...rendered, form: rendered.screen.getByRole('region', { name: 'Refund form' }) };
  };

  test('prefills each line from what is left to refund, blocks more than that, confirms what will be sent, then sends exactly the chosen lines and reason', async () => {
    const { api, form } = await open(() => undefined);
    const kettle = form.getByTestId('refund-line-000000301-A-1');
    await expect.element(kettle).toMatchTextContent(/3 × £19\.99, shipping £3\.95/);
    await expect.element(form.getByLabelText('Quantity for line 000000301-A-1')).toBeDisabled();
    await form.getByRole('checkbox', { name: 'Refund line 000000301-A-1' }).click();
    // Three ordered, one refunded before: two kettles (£39.98) and the shipping left.
    await expect.element(form.getByLabelText('Quantity for line 000000301-A-1')).toHaveValue('2');
    await expect.element(form.getByLabelText('Amount for line 000000301-A-1')).toHaveValue('39.98');
    await expect.element(form.getByLabelText('Shipping for line 000000301-A-1')).toHaveValue('3.95');

    // One kettle: the amount follows the quantity.
    await form.getByLabelText('Quantity for line 000000301-A-1').fill('1');
    await expect.element(form.getByLabelText('Amount for line 000000301-A-1')).toHaveValue('19.99');

    // More than is left is refused before anything is sent.
    await form.getByLabelText('Amount for line 000000301-A-1').fill('40.00');
    await expect.element(form.getByTestId('refund-amount-error-000000301-A-1')).toHaveTextContent('At most £39.98 left to refund');
    await form.getByRole('combobox', { name: 'Reason' }).selectOptions('Item damaged');
    await expect.element(form.getByRole('button', { name: 'Review refund' })).toBeDisabled();
    await form.getByLabelText('Quantity for line 000000301-A-1').fill('3');
    await expect.element(form.getByRole('button', { name: 'Review refund' })).toBeDisabled();

    // Units with no money refund nothing.
    await form.getByLabelText('Quantity for line 000000301-A-1').fill('1');
    await form.getByLabelText('Amount for line 000000301-A-1').fill('0');
    await form.getByLabelText('Shipping for line 000000301-A-1').fill('0.00');
    await expect.element(kettle).toMatchTextContent('Nothing to refund on this line');
    await expect.element(form.getByRole('button', { name: 'Review refund' })).toBeDisabled();

    await form.getByLabelText('Amount for line 000000301-A-1').fill('10.5');
    await form.getByLabelText('Shipping for line 000000301-A-1').fill('0');
    await expect.element(form.getByTestId('refund-total')).toHaveTextContent('To refund: £10.50 (goods £10.50, shipping £0.00)');
    await form.getByRole('button', { name: 'Review refund' }).click();

    const confirmation = form.getByRole('group', { name: 'Confirm the refund' });
    await expect.element(confirmation).toMatchTextContent(/Order 000000301-A \(customer's number 000000301\): refund £10\.50 to the customer/);
    await expect.element(confirmation).toMatchTextContent('SKU000001: 1 unit, £10.50, shipping £0.00');
    await expect.element(confirmation).toMatchTextContent('Reason: Item damaged');
    await expect.element(confirmation).toMatchTextContent('A refund cannot be undone.');
    expect(api.commandsNamed('refunds.issue')).toEqual([]);

    await confirmation.getByRole('button', { name: 'Send refund of £10.50' }).click();
    await expect
      .poll(() => api.commandsNamed('refunds.issue'))
      .toEqual([
        {
          orderId: '000000301-A',
          lines: [{ orderLineId: '000000301-A-1', quantity: 1, amount: '10.50', shippingAmount: '0.00' }],
          reasonCode: 'DAMAGED',
          actor: 'Priya Shah',
        },
      ]);
    await expect.element(form.getByTestId('refund-outcome')).toHaveTextContent('Refund sent: John Lewis accepted it (refund 9101).');
    // The form starts again from what is now left: one kettle less, £10.50 more refunded.
    await form.getByRole('checkbox', { name: 'Refund line 000000301-A-1' }).click();
    await expect.element(form.getByLabelText('Quantity for line 000000301-A-1')).toHaveValue('1');
    await expect.element(form.getByLabelText('Amount for line 000000301-A-1')).toHaveValue('29.48');
    await expect.element(form.getByTestId('refund-requests')).toMatchTextContent('Priya Shah · Sent');
  });

  test('an answer that never came says the console is checking the order before anything is sent again, and sends nothing more', async () => {
    const { api, form } = await open((a) => (a.finance.issueState = 'checking'));
    await form.getByRole('checkbox', { name: 'Refund line 000000301-A-2' }).click();
    await form.getByRole('combobox', { name: 'Reason' }).selectOptions('Goodwill gesture');
    await form.getByRole('button', { name: 'Review refund' }).click();
    await form.getByRole('button', { name: 'Send refund of £6.50' }).click();
    await expect.poll(() => api.commandsNamed('refunds.issue')).toHaveLength(1);

    const outcome = form.getByTestId('refund-outcome');
    await expect.element(outcome).toHaveAttribute('data-state', 'checking');
    await expect.element(outcome).toMatchTextContent('The answer from John Lewis was lost, so it is not known yet whether this refund was made.');
    await expect.element(outcome).toMatchTextContent('checking the order’s refunds on John Lewis before anything is sent again: do not send this refund again');
    await expect.element(form.getByTestId('refund-requests')).toMatchTextContent('Answer lost: checking the order');
    await expect.element(form).toMatchTextContent('A refund sent for this order has no final answer yet: nothing more is sent until it has.');
    await form.getByRole('checkbox', { name: 'Refund line 000000301-A-2' }).click();
    await form.getByRole('combobox', { name: 'Reason' }).selectOptions('Goodwill gesture');
    await expect.element(form.getByRole('button', { name: 'Review refund' })).toBeDisabled();
    expect(api.commandsNamed('refunds.issue')).toHaveLength(1);
  });

  test('a refund the engine refuses before sending says why inside the form, and that nothing was refunded', async () => {
    const { api, form } = await open((a) => (a.finance.issueRefusal = 'Line 000000301-A-2: 6.50 is more than the 0.00 left to refund'));
    await form.getByRole('checkbox', { name: 'Refund line 000000301-A-2' }).click();
    await form.getByRole('combobox', { name: 'Reason' }).selectOptions('Goodwill gesture');
    await form.getByRole('button', { name: 'Review refund' }).click();
    await form.getByRole('button', { name: 'Send refund of £6.50' }).click();
    await expect.poll(() => api.commandsNamed('refunds.issue')).toHaveLength(1);
    await expect
      .element(form.getByTestId('refund-refused'))
      .toMatchTextContent('Not sent: Line 000000301-A-2: 6.50 is more than the 0.00 left to refund. Nothing was refunded.');
  });

  test('opens for any order by its id, and says when the marketplace does not allow a line to be refunded', async () => {
    const { screen } = await renderConsole(
      (a) =>
        (a.finance.forms = [
          makeRefundForm({
            orderId: '000000309-A',
            lines: [{ ...makeRefundForm().lines[1]!, refundable: false }],
          }),
        ]),
      { hash: RETURNS },
    );
    await screen.getByRole('textbox', { name: 'Refund an order' }).fill('000000309-A');
    await screen.getByRole('button', { name: 'Open refund form' }).click();
    const form = screen.getByRole('region', { name: 'Refund form' });
    await expect.element(form.getByTestId('refund-line-000000301-A-2')).toMatchTextContent('John Lewis does not allow a refund on this line now');
    await expect.element(form.getByRole('checkbox', { name: 'Refund line 000000301-A-2' })).toBeDisabled();
    await expect.element(form.getByTestId('refund-total')).toHaveTextContent('Tick the lines to refund.');
  });
});
