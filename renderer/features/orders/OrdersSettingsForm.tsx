import { useState } from 'react';
import type { AcceptancePolicy, OrdersSettings } from '../../../shared/domain/orders';
import type { Settings } from '../../../shared/domain/settings';
import { useSettingsSave } from '../settings/use-settings-save';
import { Choices, TextField, type Choice } from './SettingsFields';
import { ordersDraftFrom, ordersPatchFrom, type OrdersDraft, type ShippingAs } from './settings-draft';

const NUM_AT_CARD: Choice<OrdersSettings['numAtCardSource']>[] = [
  {
    value: 'commercial_id',
    label: 'Commercial id',
    explanation: 'The number the customer quotes (e.g. 000000086): customer service finds the order in SAP by it.',
  },
  {
    value: 'order_reference_for_customer',
    label: 'Order reference for the customer',
    explanation: 'The reference John Lewis gives the customer, if your customers quote that instead.',
  },
];

const POLICIES: Choice<AcceptancePolicy>[] = [
  {
    value: 'hold-for-person',
    label: 'Hold for a person',
    explanation: 'The order waits for Accept or Refuse on its detail; an alert shows when the deadline is under 2 hours away.',
  },
  {
    value: 'refuse-short-lines',
    label: 'Refuse short lines',
    explanation: 'Lines short of stock, unmapped or not sellable are refused; the other lines are accepted.',
  },
  { value: 'accept-all', label: 'Accept all', explanation: 'Every line is accepted anyway: you find the stock or the SAP item afterwards.' },
];

const SHIPPING: Choice<ShippingAs>[] = [
  { value: 'freight', label: 'As freight', explanation: 'An SAP freight (additional expense) on the Sales Order.' },
  { value: 'service-item', label: 'As a service-item line', explanation: 'A line of a non-stock service item at the shipping price.' },
  { value: 'none', label: 'Not on the order', explanation: 'The Sales Order holds the goods only.' },
];

/** Orders settings: a local draft, checked, and only the fields that changed sent with the operator's name. */
export function OrdersSettingsForm({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const { actor, save: send, saving, engineError } = useSettingsSave(onSaved, 'Orders settings saved.');
  const [draft, setDraft] = useState(() => ordersDraftFrom(settings.orders));
  const set = (patch: Partial<OrdersDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const result = ordersPatchFrom(settings.orders, draft);
  const errors = result.ok ? {} : result.errors;
  const dirty = !result.ok || result.patch !== null;

  const save = async () => {
    if (result.ok && result.patch) await send({ orders: result.patch });
  };

  return (
    <form
      className="orders-settings"
      aria-label="Orders settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {engineError ? (
        <p className="notice notice-error" role="alert" data-testid="orders-settings-error">
          {engineError}
        </p>
      ) : null}
      <label className="setting">
        Orders from (go-live cut-off)
        <input
          type="datetime-local"
          aria-label="Orders from (go-live cut-off)"
          value={draft.ordersFrom}
          aria-invalid={errors.ordersFrom ? true : undefined}
          onChange={(e) => set({ ordersFrom: e.target.value })}
        />
        <span className="muted">
          The first read takes orders updated since then; an order created before it and already despatched, received or closed is kept as history, never
          posted. Required before orders run live.
        </span>
        {errors.ordersFrom ? <span className="field-error">{errors.ordersFrom}</span> : null}
      </label>
      <TextField
        label="Business partner (CardCode)"
        hint="The marketplace's customer in SAP; every Sales Order is posted to it."
        value={draft.cardCode}
        error={errors.cardCode}
        onChange={(v) => set({ cardCode: v })}
      />
      <Choices
        legend="Customer Ref. No. (NumAtCard) holds"
        name="num-at-card"
        choices={NUM_AT_CARD}
        value={draft.numAtCardSource}
        onChange={(v) => set({ numAtCardSource: v })}
      />
      <Choices
        legend="When an order cannot be accepted automatically"
        name="acceptance"
        choices={POLICIES}
        value={draft.acceptancePolicy}
        onChange={(v) => set({ acceptancePolicy: v })}
      >
        <label className="check">
          <input type="checkbox" checked={draft.autoAccept} onChange={(e) => set({ autoAccept: e.target.checked })} /> Accept orders automatically
        </label>
        <span className="muted">Off: every order waits for a person, whatever the policy.</span>
      </Choices>
      <TextField
        label="Warehouses to take stock from, in order"
        hint="One SAP warehouse code a line. Each Sales Order line goes to the first that has its quantity available in SAP; empty: every line goes to the default below."
        multiline
        value={draft.warehousePriority}
        onChange={(v) => set({ warehousePriority: v })}
      />
      <TextField
        label="Default SAP warehouse for order lines"
        hint="Used when no warehouse in the list has the quantity."
        value={draft.warehouseCode}
        error={errors.warehouseCode}
        onChange={(v) => set({ warehouseCode: v })}
      />
      <Choices legend="Shipping charge" name="shipping" choices={SHIPPING} value={draft.shippingAs} onChange={(v) => set({ shippingAs: v })}>
        {draft.shippingAs === 'freight' ? (
          <TextField label="Freight expense code" value={draft.expenseCode} error={errors.expenseCode} onChange={(v) => set({ expenseCode: v })} />
        ) : null}
        {draft.shippingAs === 'service-item' ? (
          <TextField label="Service item code" value={draft.itemCode} error={errors.itemCode} onChange={(v) => set({ itemCode: v })} />
        ) : null}
      </Choices>
      <TextField
        label="Batch- or serial-tracked SKUs"
        hint="One SKU a line. SAP's Item Master must manage these by batch or serial number; batches are chosen on the Delivery."
        multiline
        value={draft.trackedSkus}
        onChange={(v) => set({ trackedSkus: v })}
      />
      <label className="setting">
        Tax mode
        <select aria-label="Tax mode" value={draft.taxMode} onChange={(e) => set({ taxMode: e.target.value as OrdersDraft['taxMode'] })}>
          <option value="TAX_INCLUDED">Prices include VAT (gross)</option>
          <option value="TAX_EXCLUDED">VAT added on top (net)</option>
        </select>
        <span className="muted">Match the shop profile's tax mode on the Connections screen.</span>
      </label>
      <TextField
        label="Maximum rounding correction (£)"
        hint="A larger difference from the marketplace total stops the order for a person."
        value={draft.maxRounding}
        error={errors.maxRounding}
        onChange={(v) => set({ maxRounding: v })}
      />
      <TextField
        label="Posting concurrency"
        hint="Sales Orders created at once (1 to 16); keep it at or below SAP's max concurrent requests."
        value={draft.postingConcurrency}
        error={errors.postingConcurrency}
        onChange={(v) => set({ postingConcurrency: v })}
      />
      <details className="advanced">
        <summary>Advanced</summary>
        <div className="advanced-fields">
          <TextField
            label="Order id field"
            hint="User-defined field on the Sales Order, without U_."
            value={draft.udfOrderId}
            error={errors.udfOrderId}
            onChange={(v) => set({ udfOrderId: v })}
          />
          <TextField
            label="Order line id field"
            hint="User-defined field on each Sales Order line, without U_."
            value={draft.udfOrderLineId}
            error={errors.udfOrderLineId}
            onChange={(v) => set({ udfOrderLineId: v })}
          />
          <TextField
            label="Posting lease (seconds)"
            hint="How long one console holds the right to post for this SAP company."
            value={draft.leaseSeconds}
            error={errors.leaseSeconds}
            onChange={(v) => set({ leaseSeconds: v })}
          />
          <TextField
            label="Unanswered create: look again after (seconds)"
            hint="When SAP does not answer a Sales Order create, nothing is sent again until it is looked up after this long (at least twice SAP's timeout)."
            value={draft.createSettleSeconds}
            error={errors.createSettleSeconds}
            onChange={(v) => set({ createSettleSeconds: v })}
          />
          <label className="check">
            <input type="checkbox" checked={draft.closeDuplicates} onChange={(e) => set({ closeDuplicates: e.target.checked })} /> Close a duplicate Sales Order
            by itself
          </label>
          <span className="muted">
            When two Sales Orders exist for one marketplace order, close the younger in SAP if nothing was delivered from it. Off: a person is told and decides.
          </span>
        </div>
      </details>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving || !actor || !dirty}>
          Save orders settings
        </button>
        <button type="button" disabled={saving || !dirty} onClick={() => setDraft(ordersDraftFrom(settings.orders))}>
          Discard changes
        </button>
        {!actor ? <span className="muted">Give your name at the top first: changes are recorded against it.</span> : null}
      </div>
    </form>
  );
}
