import type { ShopInfo, ShopModel } from '../../connectors/ports/marketplace';
import { count, type OrdersEnv } from './env';

/** The shop model the orders flow posts for: the seller sells to the customer, so the Sales Order is the customer's. */
export const SUPPORTED_SHOP_MODEL: ShopModel = 'marketplace';

/**
 * Reads the shop model (cached by the connector for a day). A shop run as DROPSHIP (John Lewis buys from the
 * seller) or any other model would get Sales Orders with the wrong customer and prices, so posting is held with
 * an explanation until the model is one the flows support. When the model cannot be read, posting goes on with
 * what was last known (a transient failure of the marketplace must not stop the warehouse).
 */
export async function shopModelHolds(env: OrdersEnv): Promise<boolean> {
  const record = { type: 'shop', key: 'marketplace' };
  let shop: ShopInfo;
  try {
    shop = await env.marketplace.shop.info();
  } catch (e) {
    env.ctx.logger.warn('The shop model could not be read; posting goes on', { error: e instanceof Error ? e.message : String(e) });
    return false;
  }
  if (shop.model === 'unknown' || shop.model === SUPPORTED_SHOP_MODEL) {
    env.ctx.resolve('shop-model-unsupported', record);
    return false;
  }
  env.ctx.raise({
    type: 'shop-model-unsupported',
    record,
    summary: `The marketplace shop runs as ${shop.modelCode ?? shop.model}, not as a marketplace shop: Sales Orders are not posted until this is resolved (orders are still read and accepted)`,
    rawError: `shop model: ${shop.modelCode ?? shop.model}`,
  });
  count(env, 'heldByShopModel');
  return true;
}
