import type { MarketplaceEmulator } from '../../emulators/john-lewis';

/** What happens to each demo order once it has shipped, in the order they ship; later orders are left alone. */
const DEMO_AFTERCARE = ['return-one-unit', 'return-everything', 'back-office-refunds'] as const;
type Aftercare = (typeof DEMO_AFTERCARE)[number];

/**
 * The sandbox's customers and the marketplace's customer service, acting through the marketplace emulator as they
 * would on John Lewis: once demo orders have shipped, one customer returns one unit, another returns a whole order, and
 * each sends the parcel back once the seller has accepted the return; customer service refunds a third order from its
 * back office (a goodwill gesture on one line, a line that never arrived: money only), and pays each return back once
 * the seller has marked its goods received. So a newcomer's Returns screen shows returns waiting for their goods,
 * refunds credited in SAP as Credit Memos, and, after they mark a return received, the Credit Memo that takes the goods
 * back into the returns warehouse. A fixed script: each step happens once, and the timer stops when the script is done.
 */
export function startDemoCustomers(marketplace: MarketplaceEmulator, intervalMs = 15_000): { stop(): void } {
  const { admin, state } = marketplace;
  const reason = (label: string) => state.config.reasons.REFUND?.find((r) => r.label === label)?.code;
  const assigned = new Map<string, Aftercare>();
  const returns = new Set<string>();
  const paidBack = new Set<string>();
  let parcels = 0;

  const aftercare = (kind: Aftercare, orderId: string) => {
    const [first, second] = state.orders.get(orderId)!.lines;
    if (kind === 'return-one-unit')
      returns.add(admin.createReturn({ orderId, lines: [{ orderLineId: first!.id, quantity: 1 }], reasonCode: 'RETURN_PDNT_TOO_SMALL' }).returnId);
    else if (kind === 'return-everything') returns.add(admin.createReturn({ orderId, reasonCode: 'RETURN_DEFECTIVE_ITEM' }).returnId);
    else {
      admin.refundFromBackOffice({ orderId, lines: [{ orderLineId: first!.id, amount: '5.00' }], reasonCode: reason('Agreement found with the vendor') });
      if (second) admin.refundFromBackOffice({ orderId, lines: [{ orderLineId: second.id }], reasonCode: reason('Item not received') });
    }
  };

  const tick = () => {
    const shipped = [...state.orders.values()]
      .filter((o) => o.state === 'SHIPPED' && !assigned.has(o.orderId))
      .sort((a, b) => (a.shippedMs ?? 0) - (b.shippedMs ?? 0));
    for (const order of shipped) {
      const kind = DEMO_AFTERCARE[assigned.size];
      if (!kind) break;
      assigned.set(order.orderId, kind);
      try {
        aftercare(kind, order.orderId);
      } catch {
        // The marketplace refused (a line refunded meanwhile): the demo goes on without this step.
      }
    }
    for (const id of returns) {
      const r = state.returns.get(id);
      if (!r) continue;
      // Accepted by the seller: the customer posts the parcel back.
      if (r.state === 'IN_PROGRESS' && !r.tracking)
        admin.customerSendsReturn(id, { carrierCode: 'ROYAL_MAIL', trackingNumber: `RR${String(++parcels).padStart(9, '0')}GB` });
      // Marked received by the seller: customer service pays the customer back for what came back.
      if (r.state === 'RECEIVED' && !paidBack.has(id)) {
        paidBack.add(id);
        try {
          admin.refundFromBackOffice({ returnId: id, reasonCode: reason('Item returned') });
        } catch {
          // Refunded already from the seller's console: nothing more to pay back.
        }
      }
    }
    const settled = [...returns].every(
      (id) => paidBack.has(id) || ['REFUSED', 'CANCELED', 'NO_RECEPTION', 'CLOSED'].includes(state.returns.get(id)?.state ?? 'CLOSED'),
    );
    if (assigned.size === DEMO_AFTERCARE.length && settled) clearInterval(timer);
  };
  const timer = setInterval(tick, intervalMs);
  return { stop: () => clearInterval(timer) };
}
