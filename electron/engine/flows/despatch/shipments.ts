import type { Shipment, ShipmentLine } from '../../connectors/ports/marketplace';
import type { SalesDocument } from '../../connectors/ports/sap';
import { confirmationFor, type Confirmation } from './confirmation';
import { count, resolveOnOrder, type DespatchEnv } from './env';
import { ATTEMPT_EXCEPTIONS, DespatchProblem } from './exceptions';
import type { DeliveryRow, DespatchRow, ShipmentRow } from './repository';

export const ST01 = 'ST01';
export const ST23 = 'ST23';
export const ST24 = 'ST24';
/**
 * After a shipment whose answer was lost, how long before reading the order's shipments can prove it did not land:
 * longer than the marketplace could still be working on the request after the client gave up.
 */
export const SHIPMENT_SETTLE_MS = 2 * 60_000;

/**
 * The marketplace order lines and quantities a Delivery Note delivered, found through the Sales Order lines the
 * orders flow posted (each carries its marketplace order line id). Lines without one (a shipping charge) are not goods.
 */
function linesDelivered(d: DespatchRow, note: SalesDocument, salesOrder: SalesDocument): ShipmentLine[] {
  const lineIds = new Map<number, string>();
  for (const line of salesOrder.lines) if (line.marketplaceLineId?.trim()) lineIds.set(line.lineNum, line.marketplaceLineId);
  const quantities = new Map<string, number>();
  for (const line of note.lines) {
    if (line.base?.kind !== 'sales-order' || line.base.docEntry !== d.salesOrderEntry) continue;
    const id = lineIds.get(line.base.lineNum);
    if (!id) continue;
    if (!line.quantity.isInteger()) {
      throw new DespatchProblem(
        'shipment-unmatched',
        `Delivery Note ${note.docNum} delivers ${line.quantity.toString()} of marketplace order line ${id}: the marketplace ships whole units`,
      );
    }
    quantities.set(id, (quantities.get(id) ?? 0) + line.quantity.toNumber());
  }
  if (quantities.size === 0)
    throw new DespatchProblem(
      'shipment-unmatched',
      `No line of Delivery Note ${note.docNum} matches a marketplace order line (the Sales Order lines carry no marketplace line id)`,
    );
  return [...quantities].map(([orderLineId, quantity]) => ({ orderLineId, quantity }));
}

const sameLines = (theirs: Shipment['lines'], ours: readonly ShipmentLine[]) =>
  theirs.length === ours.length && ours.every((o) => theirs.some((t) => t.orderLineId === o.orderLineId && t.quantity === o.quantity));

const describe = (lines: readonly ShipmentLine[]) => lines.map((l) => `${l.quantity} × ${l.orderLineId}`).join(', ');

/**
 * A shipment sent whose answer never came: the order's shipments say whether it landed (one with the same lines and
 * tracking number, not already ours for another Delivery Note). Looked up only after the settle time.
 */
async function settleLostShipment(env: DespatchEnv, row: ShipmentRow, docNum: number | null): Promise<ShipmentRow | null | 'wait'> {
  if (env.now().getTime() - Date.parse(row.updatedAt) < SHIPMENT_SETTLE_MS) return 'wait';
  const claimed = new Set(
    env.repo
      .shipments(row.orderId)
      .map((r) => r.shipmentId)
      .filter((id): id is string => id !== null),
  );
  const found = (await env.marketplace.shipping.shipments(row.orderId)).find(
    (s) => !claimed.has(s.id) && sameLines(s.lines, row.lines) && s.trackingNumber === row.trackingNumber,
  );
  if (!found) {
    env.repo.event(
      row.orderId,
      'marketplace',
      `The shipment for Delivery Note ${docNum ?? row.docEntry} is not on the marketplace: its answer was lost before it landed; sending it again`,
      env.now(),
    );
    return null;
  }
  const settled: ShipmentRow = { ...row, state: found.state === 'shipped' ? 'shipped' : 'created', shipmentId: found.id, error: null };
  env.repo.saveShipment(settled, env.now());
  env.repo.event(
    row.orderId,
    'marketplace',
    `Found on the marketplace after a lost answer: the shipment for Delivery Note ${docNum ?? row.docEntry} had landed; not sent again`,
    env.now(),
  );
  count(env, 'recovered');
  return settled;
}

/** ST01 for one Delivery Note, its intent recorded first; a refusal per shipment is the marketplace's words. */
async function createShipment(env: DespatchEnv, d: DespatchRow, delivery: DeliveryRow, lines: ShipmentLine[], c: Confirmation): Promise<ShipmentRow | null> {
  const { repo, ctx } = env;
  const note = `Delivery Note ${delivery.docNum ?? delivery.docEntry}`;
  if (ctx.dryRun) {
    repo.event(d.orderId, 'engine', `Dry run: would send ${note} as a shipment (${describe(lines)}) with ${c.label} ${c.trackingNumber}`, env.now());
    count(env, 'dryRun');
    return null;
  }
  const intent: Omit<ShipmentRow, 'updatedAt'> = {
    orderId: d.orderId,
    docEntry: delivery.docEntry,
    state: 'sending',
    shipmentId: null,
    lines,
    carrierCode: c.carrierCode,
    carrierName: c.carrierName,
    trackingNumber: c.trackingNumber,
    error: null,
  };
  repo.saveShipment(intent, env.now());
  const sent = await ctx.write(
    {
      system: 'marketplace',
      operation: ST01,
      recordKey: `${d.orderId}#${delivery.docEntry}`,
      payload: { lines, carrierCode: c.carrierCode, carrierName: c.carrierName, trackingNumber: c.trackingNumber },
    },
    async () => ({ result: await env.marketplace.shipping.createShipments([{ orderId: d.orderId, lines, tracking: c.tracking }]) }),
  );
  if (!sent.sent) return null;
  const made = sent.result.created[0];
  if (!made) {
    const message = sent.result.failed.map((f) => f.message).join('; ') || 'refused without a message';
    repo.saveShipment({ ...intent, state: 'refused', error: message }, env.now());
    throw new DespatchProblem('marketplace-rejected', `The marketplace refused the shipment of ${note}`, message);
  }
  const created: ShipmentRow = { ...intent, state: 'created', shipmentId: made.id, updatedAt: env.now().toISOString() };
  repo.saveShipment(created, env.now());
  repo.event(d.orderId, 'marketplace', `Shipment created (ST01) for ${note}: ${describe(lines)} with ${c.label} ${c.trackingNumber}`, env.now(), {
    shipmentId: made.id,
  });
  return created;
}

/** ST23 when a correction changed a created shipment's carrier or tracking number before it left. */
async function updateTracking(env: DespatchEnv, row: ShipmentRow, c: Confirmation, note: string): Promise<ShipmentRow> {
  if (row.trackingNumber === c.trackingNumber && row.carrierCode === c.carrierCode && row.carrierName === c.carrierName) return row;
  const sent = await env.ctx.write(
    {
      system: 'marketplace',
      operation: ST23,
      recordKey: row.shipmentId!,
      payload: { carrierCode: c.carrierCode, carrierName: c.carrierName, trackingNumber: c.trackingNumber },
    },
    async () => ({
      result: await env.marketplace.shipping.setShipmentTracking([{ shipmentId: row.shipmentId!, tracking: c.tracking }]),
    }),
  );
  if (!sent.sent) return row;
  const refused = sent.result.failed[0];
  if (refused) throw new DespatchProblem('marketplace-rejected', `The marketplace refused the corrected tracking of ${note}'s shipment`, refused.message);
  const updated: ShipmentRow = {
    ...row,
    carrierCode: c.carrierCode,
    carrierName: c.carrierName,
    trackingNumber: c.trackingNumber,
    updatedAt: env.now().toISOString(),
  };
  env.repo.saveShipment(updated, env.now());
  env.repo.event(row.orderId, 'marketplace', `Shipment tracking corrected (ST23) for ${note}: ${c.label} ${c.trackingNumber}`, env.now());
  return updated;
}

/** ST24; a shipment that already left (its earlier answer lost) is found so on the marketplace, not refused. */
async function shipIt(env: DespatchEnv, row: ShipmentRow, note: string): Promise<boolean> {
  const sent = await env.ctx.write({ system: 'marketplace', operation: ST24, recordKey: row.shipmentId!, payload: null }, async () => ({
    result: await env.marketplace.shipping.shipShipments([row.shipmentId!]),
  }));
  if (!sent.sent) return false;
  const refused = sent.result.failed[0];
  if (refused) {
    const there = (await env.marketplace.shipping.shipments(row.orderId)).find((s) => s.id === row.shipmentId);
    if (there?.state !== 'shipped') throw new DespatchProblem('marketplace-rejected', `The marketplace refused to ship ${note}'s shipment`, refused.message);
  }
  env.repo.saveShipment({ ...row, state: 'shipped' }, env.now());
  env.repo.event(
    row.orderId,
    'marketplace',
    `Shipment sent (ST24) for ${note}: ${describe(row.lines)} with ${row.carrierCode ?? `${row.carrierName ?? '?'} (named carrier)`} ${row.trackingNumber ?? ''}`.trim(),
    env.now(),
    {
      shipmentId: row.shipmentId,
    },
  );
  count(env, 'shipments');
  return true;
}

/** One Delivery Note as one shipment, exactly once: looked up after a lost answer, created, corrected, shipped. True once it left. */
async function shipDelivery(env: DespatchEnv, d: DespatchRow, delivery: DeliveryRow, salesOrder: SalesDocument): Promise<boolean> {
  const note = `Delivery Note ${delivery.docNum ?? delivery.docEntry}`;
  let row = env.repo.shipment(d.orderId, delivery.docEntry);
  if (row?.state === 'shipped') return true;
  if (row?.state === 'sending') {
    const settled = await settleLostShipment(env, row, delivery.docNum);
    if (settled === 'wait') {
      count(env, 'settling');
      return false;
    }
    row = settled;
    if (row?.state === 'shipped') return true;
  }
  // The operator's correction is for the latest Delivery Note; earlier ones go as SAP recorded them.
  const corrected = delivery.docEntry === d.deliveryEntry;
  if (!row || row.state === 'refused') {
    const sapNote = await env.sap.deliveryNotes.get(delivery.docEntry);
    if (sapNote.cancelled) return true; // cancelled in SAP: nothing of it leaves
    const lines = linesDelivered(d, sapNote, salesOrder);
    row = await createShipment(env, d, delivery, lines, await confirmationFor(env, d, delivery, corrected));
    if (!row) return false;
  } else if (corrected && (d.correctedTracking || d.correctedCarrierCode)) {
    row = await updateTracking(env, row, await confirmationFor(env, d, delivery, true), note);
  }
  return shipIt(env, row, note);
}

/**
 * Multi-shipment: every Delivery Note of the order not yet shipped goes as its own shipment (ST01 with its lines,
 * quantities and tracking, then ST24). Once SAP has delivered every line and every shipment has left, the marketplace
 * shows the order SHIPPED and the despatch is confirmed; until then it waits for the next Delivery Note.
 */
export async function confirmByShipments(
  env: DespatchEnv,
  d: DespatchRow,
  lines: { complete: boolean; openLines: number; salesOrder: SalesDocument },
): Promise<void> {
  const { repo } = env;
  const shippedBefore = repo.shipments(d.orderId).filter((r) => r.state === 'shipped').length;
  let pending = 0;
  for (const delivery of repo.deliveries(d.orderId)) {
    if (!(await shipDelivery(env, d, delivery, lines.salesOrder))) pending++;
  }
  if (pending > 0) return;
  if (lines.complete) {
    const last = repo.shipments(d.orderId).at(-1);
    repo.setState(d.orderId, 'confirmed', env.now(), {
      carrierCode: last?.carrierCode ?? null,
      carrierName: last?.carrierName ?? null,
      sentTracking: last?.trackingNumber ?? undefined,
    });
    repo.event(
      d.orderId,
      'marketplace',
      `Despatch confirmed: every Delivery Note went as its own shipment and the marketplace shows the order as shipped`,
      env.now(),
    );
    resolveOnOrder(env, d.orderId);
    count(env, 'confirmed');
    return;
  }
  const shippedNow = repo.shipments(d.orderId).filter((r) => r.state === 'shipped').length > shippedBefore;
  if (d.state !== 'waiting-lines' || shippedNow) {
    repo.setState(d.orderId, 'waiting-lines', env.now());
    repo.event(d.orderId, 'engine', `Partly delivered in SAP: what was delivered has shipped; waiting for ${lines.openLines} more line(s)`, env.now());
  }
  resolveOnOrder(env, d.orderId, ATTEMPT_EXCEPTIONS);
  count(env, 'waitingLines');
}
