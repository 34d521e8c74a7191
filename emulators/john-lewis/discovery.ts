import { fail, ok, type Ctx, type Reply } from './http';

/** RE02 `reason_type` values (the spec's enum). */
const REASON_TYPES = [
  'INCIDENT_CLOSE',
  'REFUND',
  'MPS_REFUND',
  'MESSAGING',
  'ORDER_MESSAGING',
  'MPS_ORDER_MESSAGING',
  'MPS_OFFER_MESSAGING',
  'OFFER_MESSAGING',
  'CANCELATION',
];

export function account(ctx: Ctx): Reply {
  const c = ctx.state.config;
  return ok({
    shop_id: c.shopId,
    shop_name: c.shopName,
    shop_state: 'OPEN',
    model: c.shopModel,
    currency_iso_code: c.currency,
    is_professional: true,
    approval_delay: Math.round(c.acceptanceDeadlineMs / 1000),
    offers_count: ctx.state.offers.size,
    orders_count: ctx.state.orders.size,
    shipping_country: 'GBR',
    date_created: ctx.state.clock.iso(Date.UTC(2025, 9, 1)),
  });
}

export function platformConfiguration(ctx: Ctx): Reply {
  const c = ctx.state.config;
  return ok({
    platform_name: 'John Lewis Marketplace (emulated)',
    tenant_name: 'johnlewis',
    timezone: 'Europe/London',
    features: {
      order_tax_mode: c.platformTaxMode,
      disable_seller_alternative_carrier: c.alternativeCarriersDisabled,
      order_workflows: {
        order_acceptance: 'NOT_AUTOMATIC',
        shipping_and_billing_details_before_acceptance: c.addressesBeforeAcceptance,
        pay_on_shipment: false,
      },
      shipment: { multi_shipment: c.multiShipment, multi_part_item_shipment: false },
      returns: { marketplace: c.returnsModule.marketplace, drop_ship: c.returnsModule.dropShip, one_creditor: false },
      multi_currency: false,
    },
  });
}

export function version(): Reply {
  return ok({ version: '3.300.0-emulator' });
}

export function carriers(ctx: Ctx): Reply {
  return ok({ carriers: [...ctx.state.config.carriers].sort((a, b) => a.label.localeCompare(b.label)) });
}

/** RE02: the operator's reasons of one type, in the order the back office sorts them; a type outside the enum is a 400. */
export function reasons(ctx: Ctx): Reply {
  const type = ctx.params.reason_type ?? '';
  if (!REASON_TYPES.includes(type)) return fail(400, `Unknown reason type ${type}`);
  const list = ctx.state.config.reasons[type] ?? [];
  return ok({ reasons: list.map((r) => ({ code: r.code, label: r.label })), total_count: list.length });
}
