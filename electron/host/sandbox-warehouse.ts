import type { SapEmulator } from '../../emulators/sap-b1';
import type { ContractEndpoint } from '../engine';

/**
 * What the demo warehouse despatches with: three carriers the mapping knows, and Yodel, which neither the mapping nor
 * the marketplace's carrier list has (the sandbox shop accepts it sent by name: map it as a named carrier).
 */
const DEMO_DESPATCHES = [
  { carrier: 'Royal Mail', trackingNumber: 'RM100000001GB' },
  { carrier: 'DPD', trackingNumber: '15501234560001' },
  { carrier: 'Evri', trackingNumber: 'H01DEMO000000001' },
  { carrier: 'Yodel', trackingNumber: 'JD0002210000000001' },
];

/**
 * The sandbox's warehouse: carrier mappings an operator would have saved on day one, and, once the orders flow has
 * posted Sales Orders, Delivery Notes for a few of them — most with a mapped carrier, one with Yodel (unmapped) —
 * so a newcomer sees a despatch confirmed and one waiting for a person: the correction form, or Yodel mapped as a
 * named carrier with its tracking URL in Despatch → Carrier mapping.
 */
export async function startDemoWarehouse(engine: ContractEndpoint, sap: SapEmulator, intervalMs = 15_000): Promise<{ stop(): void }> {
  for (const [sapCarrier, carrierCode] of [
    ['Royal Mail', 'ROYAL_MAIL'],
    ['DPD', 'DPD'],
    ['Evri', 'EVRI'],
  ] as const) {
    await engine.command('despatch.saveMapping', { sapCarrier, carrierCode, actor: 'sandbox' }).catch(() => undefined);
  }
  let next = 0;
  const tick = () => {
    for (const order of sap.state.documents.Orders.values()) {
      if (next >= DEMO_DESPATCHES.length) return clearInterval(timer);
      if (!order.U_JLM_OrderId || order.DocumentStatus !== 'bost_Open') continue;
      try {
        sap.despatch({ docEntry: order.DocEntry as number, ...DEMO_DESPATCHES[next]! });
        next++;
      } catch {
        // Not enough stock for the demo order: the warehouse leaves it for later, as a real one would.
      }
    }
  };
  const timer = setInterval(tick, intervalMs);
  return { stop: () => clearInterval(timer) };
}
