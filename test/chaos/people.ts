import type { EngineClient } from '../../electron/engine';
import type { ChaosWorld } from './world';
import type { PlannedOrder, TrialPlan } from './plan';

/** What the trial's people did, so the checks know what each order should have become. */
export interface TrialOrder {
  plan: PlannedOrder;
  orderId: string;
  lineIds: string[];
  /** The warehouse's Delivery Note (its tracking number), once despatched. */
  despatched: { docEntry: number; trackingNumber: string } | null;
  returnId: string | null;
  /** The return was marked received in the console (the command took it). */
  markedReceived: boolean;
  /** Customer service paid back the return, or refunded from its back office. */
  backOfficeRefunded: boolean;
  /** Finance sent the refund from the console: how the command answered ('no-answer' when the engine died under it). */
  consoleRefund: 'not-yet' | 'sent' | 'checking' | 'failed' | 'no-answer';
}

/** An order just placed by its customer: nothing done to it yet. */
export function placedOrder(plan: PlannedOrder, made: { orderId: string; lines: { orderLineId: string }[] }): TrialOrder {
  return {
    plan,
    orderId: made.orderId,
    lineIds: made.lines.map((l) => l.orderLineId),
    despatched: null,
    returnId: null,
    markedReceived: false,
    backOfficeRefunded: false,
    consoleRefund: 'not-yet',
  };
}

const REFUND_REASON = '19'; // Agreement found with the vendor (RE02)

/**
 * The trial's people, acting through the emulators and the console as they would: customers order and pay, the
 * warehouse despatches Sales Orders and books returned parcels in, customers return goods, customer service and
 * finance refund, finance asks for invoices, someone counts stock. Each acts once per thing; the engine may be dead
 * when they press a button (the console shows an error then, and they do not press again).
 */
export class TrialPeople {
  readonly orders: TrialOrder[] = [];
  private invoicePresses = 0;
  private stockCounts = 0;

  constructor(
    private readonly world: ChaosWorld,
    private readonly plan: TrialPlan,
    private readonly engine: () => EngineClient | null,
  ) {}

  /** Everything due by `elapsedMs` into the trial (the settle phase passes Infinity: everything planned is due). */
  async act(elapsedMs: number): Promise<void> {
    const { sap, jl } = this.world;
    for (const planned of this.plan.orders.slice(this.orders.length)) {
      if (planned.at > elapsedMs) break;
      const [made] = jl.admin.createOrders({
        count: 1,
        skus: planned.lines.map((l) => l.sku),
        quantities: planned.lines.map((l) => l.quantity),
        linesPerOrder: planned.lines.length,
      });
      this.orders.push(placedOrder(planned, made!));
    }
    jl.admin.debitOrders();
    for (const count of this.plan.stockCounts.slice(this.stockCounts)) {
      if (count.at > elapsedMs) break;
      sap.setStock(count.sku, count.warehouse, count.inStock);
      this.stockCounts++;
    }
    for (const o of this.orders) await this.aftercare(o);
    // Customer service pays back every refund waiting to be paid.
    jl.admin.completeRefunds();
    while (this.invoicePresses < this.plan.invoiceNow.length && this.plan.invoiceNow[this.invoicePresses]! <= elapsedMs) {
      this.invoicePresses++;
      await this.invoiceNow();
    }
  }

  /** Finance presses "Invoice now". */
  async invoiceNow(): Promise<void> {
    await this.engine()
      ?.command('invoicing.runNow', { actor: 'Finance' })
      .catch(() => undefined);
  }

  private async aftercare(o: TrialOrder): Promise<void> {
    const { sap, jl } = this.world;
    if (o.plan.despatch && !o.despatched) {
      const salesOrder = [...sap.state.documents.Orders.values()].find((d) => d.U_JLM_OrderId === o.orderId && d.DocumentStatus === 'bost_Open');
      if (salesOrder) {
        const trackingNumber = `RM${o.orderId.replace(/\D/g, '')}GB`;
        const note = sap.despatch({ docEntry: salesOrder.DocEntry as number, carrier: 'Royal Mail', trackingNumber });
        o.despatched = { docEntry: note.DocEntry as number, trackingNumber };
      }
    }
    const order = jl.state.orders.get(o.orderId);
    if (!order || !['SHIPPED', 'RECEIVED', 'CLOSED'].includes(order.state)) return;
    if (o.plan.aftercare === 'return') await this.returnGoods(o);
    else if (o.plan.aftercare === 'back-office-refund' && !o.backOfficeRefunded) {
      jl.admin.refundFromBackOffice({
        orderId: o.orderId,
        lines: [{ orderLineId: o.lineIds[0]!, amount: '1.00', shippingAmount: '0.00' }],
        reasonCode: REFUND_REASON,
      });
      o.backOfficeRefunded = true;
    } else if (o.plan.aftercare === 'console-refund' && o.consoleRefund === 'not-yet') await this.consoleRefund(o);
  }

  private async returnGoods(o: TrialOrder): Promise<void> {
    const { jl } = this.world;
    if (!o.returnId) o.returnId = jl.admin.createReturn({ orderId: o.orderId, reasonCode: 'RETURN_DEFECTIVE_ITEM' }).returnId;
    const r = jl.state.returns.get(o.returnId);
    if (!r) return;
    // Accepted by the seller: the customer posts the parcel back.
    if (r.state === 'IN_PROGRESS' && !r.tracking)
      jl.admin.customerSendsReturn(o.returnId, { carrierCode: 'ROYAL_MAIL', trackingNumber: `RR${o.orderId.replace(/\D/g, '')}GB` });
    // The parcel is unpacked: the warehouse office marks it received in the console.
    if (r.state === 'IN_PROGRESS' && r.tracking && !o.markedReceived) {
      const engine = this.engine();
      const answer = await engine?.command('returns.markReceived', { returnIds: [o.returnId], actor: 'Warehouse' }).catch(() => null);
      if (answer?.accepted.includes(o.returnId)) o.markedReceived = true;
    }
    // The marketplace has it as received: customer service pays the customer back for what came back.
    if (r.state === 'RECEIVED' && !o.backOfficeRefunded) {
      jl.admin.refundFromBackOffice({ returnId: o.returnId, reasonCode: '17' });
      o.backOfficeRefunded = true;
    }
  }

  private async consoleRefund(o: TrialOrder): Promise<void> {
    const engine = this.engine();
    if (!engine) return;
    try {
      const answer = await engine.command('refunds.issue', {
        orderId: o.orderId,
        lines: [{ orderLineId: o.lineIds[0]!, quantity: 0, amount: '1.00', shippingAmount: '0.00' }],
        reasonCode: REFUND_REASON,
        actor: 'Finance',
      });
      o.consoleRefund = answer.state === 'sending' ? 'checking' : answer.state;
    } catch (error) {
      // The engine ended under the press: the console showed an error; finance does not press again.
      if (/engine process (has )?ended/i.test(error instanceof Error ? error.message : '')) o.consoleRefund = 'no-answer';
      // Refused (the order is not known yet, say): pressed again at the next look.
    }
  }
}
