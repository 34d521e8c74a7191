import { createDocument } from '../emulators/sap-b1/documents';
import { fakeClock } from '../electron/engine/clock';
import { PUBLISHED_MAXIMA } from '../electron/engine/connectors/john-lewis';
import type { Engine } from '../electron/engine/engine';
import { tempDir } from '../test/support/ports';
import { runDespatch, startDespatchWorld, type DespatchWorld } from '../test/integration/despatch/world';

/**
 * Despatch figures, against both emulators:
 * - despatchReadRequests: HTTP requests the despatch read makes to SAP when the company holds 1,000 other customers'
 *   Delivery Notes beside ours (from the SAP emulator's call log);
 * - queued correction: wall-clock time for the engine to answer a correction that has to wait its turn (a despatch
 *   run is in flight, waiting for the marketplace's once-a-minute order-list window), and how many of those
 *   corrections later landed and were told as events;
 * - immediate correction: wall-clock time to answer (and land) a correction while the order-list window is in use
 *   but no run is in flight. Ends with one JSON line.
 */

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (n: number) => Math.round(n * 10) / 10;

async function postAndHold(world: DespatchWorld, tmp: ReturnType<typeof tempDir>, name: string, count: number) {
  const ledgerFile = tmp.file(`${name}.db`);
  const poster = world.engine({ ledgerFile });
  await poster.command('orders.preflight', { createFields: true, actor: 'bench' });
  await poster.command('despatch.saveMapping', { sapCarrier: 'DPD', carrierCode: 'DPD', actor: 'bench' });
  world.releaseLease();
  const orderIds = await world.postedOrders(poster, count);
  const numbers = new Map<string, string>();
  for (const id of orderIds) numbers.set(id, (await poster.query('orders.get', { orderId: id }))!.order.numAtCard!);
  await poster.stop();
  return { ledgerFile, orderIds, numbers };
}

async function readRequests(world: DespatchWorld, tmp: ReturnType<typeof tempDir>, foreign: number): Promise<number> {
  const state = world.sap.state;
  state.businessPartners.set('C-TRADE', { ...state.businessPartners.get('C-JLM')!, CardCode: 'C-TRADE', CardName: 'Trade counter' });
  const plain = [...state.items.values()]
    .filter((it) => it.ManageBatchNumbers === 'tNO' && it.ManageSerialNumbers === 'tNO' && it.Frozen === 'tNO')
    .slice(20, 40)
    .map((it) => it.ItemCode);
  for (const itemCode of plain) world.sap.setStock(itemCode, '01', 10_000);
  for (let i = 0; i < foreign; i++) {
    createDocument(state, 'v2', 'DeliveryNotes', {
      CardCode: 'C-TRADE',
      TransportationCode: 1,
      TrackingNumber: `TRADE${i}`,
      DocumentLines: [{ ItemCode: plain[i % plain.length]!, Quantity: 1, WarehouseCode: '01', Price: 5 }],
    });
  }
  const { ledgerFile, orderIds, numbers } = await postAndHold(world, tmp, 'read', 3);
  for (const id of orderIds) world.sap.despatch({ numAtCard: numbers.get(id)!, carrier: 'DPD', trackingNumber: `1550000000${id.slice(6, 9)}` });
  const engine = world.engine({ ledgerFile, flows: ['despatch'] });
  world.sap.clearCalls();
  await runDespatch(engine);
  await engine.stop();
  return world.sap.calls().filter((c) => c.method === 'GET' && /\/DeliveryNotes(\?|$)/.test(c.path)).length;
}

async function queuedCorrections(world: DespatchWorld, tmp: ReturnType<typeof tempDir>, corrections: number) {
  const { ledgerFile, orderIds, numbers } = await postAndHold(world, tmp, 'queued', corrections + 1);
  const held = orderIds.slice(0, corrections);
  const other = orderIds.at(-1)!;
  const clock = fakeClock(Date.now());
  const engine: Engine = world.engine({ ledgerFile, flows: ['despatch'], limits: PUBLISHED_MAXIMA, clock });
  let told = 0;
  engine.subscribe((name) => void (name === 'despatch.changed' && told++));
  for (const id of held) world.sap.despatch({ numAtCard: numbers.get(id)!, carrier: 'Yodel', trackingNumber: `H01ABC${id.slice(6, 9)}0000001` });
  await runDespatch(engine);
  // Another despatch becomes due; its run waits for the order-list window the last run used.
  world.sap.despatch({ numAtCard: numbers.get(other)!, carrier: 'DPD', trackingNumber: '15501234567001' });
  engine.runNow('despatch');
  while (clock.pending() === 0) await new Promise((r) => setTimeout(r, 5));
  const answerMs: number[] = [];
  const outcomes = new Set<string>();
  for (const id of held) {
    const started = performance.now();
    const answer = await engine.command('despatch.correct', {
      orderId: id,
      carrierCode: 'EVRI',
      trackingNumber: `H01ABC${id.slice(6, 9)}0000001`,
      actor: 'bench',
    });
    answerMs.push(performance.now() - started);
    outcomes.add(answer.outcome);
  }
  await clock.advance(61_000);
  await engine.idle();
  const landed = held.filter((id) => (world.marketplaceOrder(id) as { order_state: string }).order_state === 'SHIPPED').length;
  await engine.stop();
  return { answerMs, outcomes: [...outcomes], landed, told };
}

async function immediateCorrections(world: DespatchWorld, tmp: ReturnType<typeof tempDir>, corrections: number) {
  const { ledgerFile, orderIds, numbers } = await postAndHold(world, tmp, 'now', corrections);
  const engine = world.engine({ ledgerFile, flows: ['despatch'], limits: PUBLISHED_MAXIMA });
  for (const id of orderIds) world.sap.despatch({ numAtCard: numbers.get(id)!, carrier: 'Yodel', trackingNumber: `H01ABC${id.slice(6, 9)}0000002` });
  await runDespatch(engine); // reads the orders through the list window: it stays in use for a minute
  const answerMs: number[] = [];
  const outcomes = new Set<string>();
  for (const id of orderIds) {
    const started = performance.now();
    const answer = await engine.command('despatch.correct', {
      orderId: id,
      carrierCode: 'EVRI',
      trackingNumber: `H01ABC${id.slice(6, 9)}0000002`,
      actor: 'bench',
    });
    answerMs.push(performance.now() - started);
    outcomes.add(answer.outcome);
  }
  await engine.stop(0);
  return { answerMs, outcomes: [...outcomes] };
}

export async function run(args: string[]): Promise<void> {
  const foreign = Number(args[0] ?? 1_000);
  const corrections = Number(args[1] ?? 10);
  const tmp = tempDir('despatch-bench-');
  const world = await startDespatchWorld();
  try {
    const despatchReadRequests = await readRequests(world, tmp, foreign);
    console.log(`despatch read beside ${foreign} other customers' Delivery Notes: ${despatchReadRequests} request(s) to SAP`);
    const queued = await queuedCorrections(world, tmp, corrections);
    console.log(
      `queued corrections (run in flight, order-list window in use): answered in median ${round(median(queued.answerMs))} ms, max ${round(Math.max(...queued.answerMs))} ms; ` +
        `outcomes ${queued.outcomes.join(', ')}; ${queued.landed}/${corrections} landed, ${queued.told} told as events`,
    );
    const now = await immediateCorrections(world, tmp, Math.min(corrections, 5));
    console.log(
      `corrections with the order-list window in use, no run in flight: answered (and landed) in median ${round(median(now.answerMs))} ms, max ${round(Math.max(...now.answerMs))} ms; outcomes ${now.outcomes.join(', ')}`,
    );
    console.log(
      JSON.stringify({
        foreignDeliveries: foreign,
        despatchReadRequests,
        queuedCorrectionAnswerMedianMs: round(median(queued.answerMs)),
        queuedCorrectionAnswerMaxMs: round(Math.max(...queued.answerMs)),
        queuedCorrectionsLanded: queued.landed,
        queuedCorrectionsTold: queued.told,
        immediateCorrectionAnswerMedianMs: round(median(now.answerMs)),
      }),
    );
  } finally {
    await world.stop();
    tmp.cleanup();
  }
}
