import { shopModel } from './states';
import type { Clock } from '../../ports';
import type { MarketplaceHealth, PlatformConfig, ShopInfo, ShopModel } from '../ports/marketplace';
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

/**
 * PC01 `features.returns` switches Mirakl's returns module on per shop model: the shop has returns (RT11/RT21/RT25)
 * only where the flag of its own model (A01 `model`) is on. With the model unknown, any flag on counts.
 */
export function returnsEnabledFor(features: Record<string, unknown>, model: ShopModel): boolean | null {
  const returns = obj(features.returns);
  const byModel: Record<Exclude<ShopModel, 'unknown'>, boolean | null> = {
    marketplace: bool(returns.marketplace),
    dropship: bool(returns.drop_ship),
    'one-creditor': bool(returns.one_creditor),
  };
  if (model !== 'unknown') return byModel[model];
  const flags = Object.values(byModel);
  return flags.every((v) => v === null) ? null : flags.some((v) => v === true);
}

/** PC01, read in the console's words; `shopModel` (A01, read once a day) says which returns flag is the shop's. */
export async function platformConfig(client: MiraklClient, shopModel: () => Promise<ShopModel> = async () => 'unknown'): Promise<PlatformConfig> {
  const b = obj((await client.ok({ operation: 'PC01', method: 'GET', path: '/api/platform/configuration', idempotent: true })).body);
  const features = obj(b.features);
  const workflows = obj(features.order_workflows);
  // Without the profile (not yet readable today), the flags are read without the model.
  const model = await shopModel().catch((): ShopModel => 'unknown');
  return {
    taxMode: str(features.order_tax_mode),
    orderAcceptance: str(workflows.order_acceptance),
    addressesBeforeAcceptance: bool(workflows.shipping_and_billing_details_before_acceptance),
    multiShipment: bool(obj(features.shipment).multi_shipment),
    alternativeCarriersDisabled: bool(features.disable_seller_alternative_carrier),
    returnsEnabled: returnsEnabledFor(features, model),
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
