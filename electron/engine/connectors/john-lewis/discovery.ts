import { shopModel } from './states';
import type { Clock } from '../../ports';
import type { MarketplaceHealth, PlatformConfig, ShopInfo } from '../ports/marketplace';
import type { MiraklClient } from './client';
import { bool, obj, str } from './read';

/** A01, once a day at most: read through a DailyRead, which keeps it across restarts. */
export async function fetchShopInfo(client: MiraklClient): Promise<unknown> {
  return (await client.ok({ operation: 'A01', method: 'GET', path: '/api/account', idempotent: true })).body;
}

export function parseShopInfo(body: unknown): ShopInfo {
  const b = obj(body);
  return {
    shopId: str(b.shop_id),
    shopName: str(b.shop_name),
    model: shopModel(str(b.model)),
    modelCode: str(b.model),
    currency: str(b.currency_iso_code),
    state: str(b.shop_state),
    raw: b,
  };
}

export async function platformConfig(client: MiraklClient): Promise<PlatformConfig> {
  const b = obj((await client.ok({ operation: 'PC01', method: 'GET', path: '/api/platform/configuration', idempotent: true })).body);
  const features = obj(b.features);
  const workflows = obj(features.order_workflows);
  const returns = obj(features.returns);
  const anyReturns = [bool(returns.marketplace), bool(returns.drop_ship), bool(returns.one_creditor)];
  return {
    taxMode: str(features.order_tax_mode),
    orderAcceptance: str(workflows.order_acceptance),
    addressesBeforeAcceptance: bool(workflows.shipping_and_billing_details_before_acceptance),
    multiShipment: bool(obj(features.shipment).multi_shipment),
    alternativeCarriersDisabled: bool(features.disable_seller_alternative_carrier),
    returnsEnabled: anyReturns.every((v) => v === null) ? null : anyReturns.some((v) => v === true),
    raw: b,
  };
}

export async function health(client: MiraklClient, clock: Clock): Promise<MarketplaceHealth> {
  const started = clock.now();
  try {
    // Only the status matters; the body may change (V01).
    const result = await client.call({ operation: 'V01', method: 'GET', path: '/api/version', idempotent: false });
    const ok = result.status >= 200 && result.status < 300;
    return {
      ok,
      status: result.status,
      version: str(obj(result.body).version),
      latencyMs: clock.now() - started,
      ...(ok ? {} : { error: `V01 ${result.status}` }),
    };
  } catch (error) {
    return { ok: false, status: null, version: null, latencyMs: clock.now() - started, error: (error as Error).message };
  }
}
