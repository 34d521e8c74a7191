import { orderRef, raiseOnOrder, type DespatchEnv } from './env';

const HOUR_MS = 3_600_000;

/**
 * Two tray alerts a warehouse office must not miss: a delivery SAP made that the marketplace still does not show
 * shipped after N hours, and an order whose shipping deadline is close with no Delivery Note in SAP at all. Each
 * resolves by itself once the cause is gone.
 */
export function runWatchdogs(env: DespatchEnv): void {
  const { repo, ctx, settings } = env;
  const now = env.now();

  const overdueBefore = new Date(now.getTime() - settings.watchdogs.confirmWithinHours * HOUR_MS).toISOString();
  const overdue = new Set<string>();
  // A despatch whose problem a person dismissed is left alone until it changes (its exception reopens then).
  const dismissed = (orderId: string) => ctx.ledger.exceptions.isDismissed('despatch', orderRef(orderId));
  for (const d of repo.inStates(['ready', 'tracking-sent', 'blocked'], 5_000)) {
    if (!d.deliveredAt || d.deliveredAt > overdueBefore || dismissed(d.orderId)) continue;
    overdue.add(d.orderId);
    const hours = Math.floor((now.getTime() - Date.parse(d.deliveredAt)) / HOUR_MS);
    raiseOnOrder(env, d.orderId, 'despatch-overdue', `Delivered in SAP ${hours} h ago and still not confirmed on the marketplace`);
  }

  const deadlineBy = new Date(now.getTime() + settings.watchdogs.deadlineWarningHours * HOUR_MS).toISOString();
  const near = new Set<string>();
  for (const o of env.postedOrders.dueWithoutDeliveryNote(deadlineBy, 1_000)) {
    if (dismissed(o.orderId)) continue;
    near.add(o.orderId);
    const left = (Date.parse(o.shippingDeadline!) - now.getTime()) / HOUR_MS;
    const when = left <= 0 ? 'has passed' : `is in ${left < 1 ? `${Math.round(left * 60)} min` : `${Math.floor(left)} h`}`;
    raiseOnOrder(
      env,
      o.orderId,
      'deadline-near',
      `The shipping deadline ${when} and SAP has no Delivery Note for Sales Order ${o.docNum ?? '?'} (${o.numAtCard ?? o.orderId})`,
      null,
      new Date(o.shippingDeadline!),
    );
  }

  // Gone by themselves: confirmed, delivered, or no longer waiting for despatch on the marketplace.
  for (const e of ctx.ledger.exceptions.live('despatch')) {
    if (e.record.type !== 'order') continue;
    if ((e.type === 'despatch-overdue' && !overdue.has(e.record.key)) || (e.type === 'deadline-near' && !near.has(e.record.key))) {
      ctx.resolve(e.type, orderRef(e.record.key));
    }
  }
}
