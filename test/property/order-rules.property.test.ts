import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ORDER_STATES, type OrderState } from '../../electron/engine/connectors/ports/marketplace';
import { initialStage, nextStage, problemsOf } from '../../electron/engine/flows/orders/intake';
import { ENDED_STATES, movedBackwards } from '../../electron/engine/flows/orders/states';
import { ORDER_STAGES } from '../../shared/domain/orders';
import { order, RUNS } from './arbitraries';

const state = fc.constantFrom(...ORDER_STATES);
/** The marketplace's own path for an order (the reference's state diagram), each step forwards. */
const FORWARD: [OrderState, OrderState][] = [
  ['staging', 'awaiting-acceptance'],
  ['awaiting-acceptance', 'awaiting-debit'],
  ['awaiting-acceptance', 'refused'],
  ['awaiting-acceptance', 'shipping'],
  ['awaiting-debit', 'shipping'],
  ['awaiting-debit', 'cancelled'],
  ['shipping', 'shipped'],
  ['shipping', 'to-collect'],
  ['shipping', 'cancelled'],
  ['shipped', 'received'],
  ['to-collect', 'received'],
  ['received', 'closed'],
  ['shipped', 'refunding'],
  ['received', 'refunding'],
];

describe('order states and stages', () => {
  it('moving backwards: never a state to itself, never both ways, never a step of the marketplace’s own path', () => {
    fc.assert(
      fc.property(state, state, (a, b) => {
        expect(movedBackwards(a, a)).toBe(false);
        expect(movedBackwards(a, b) && movedBackwards(b, a)).toBe(false);
        if (a === 'unknown' || b === 'unknown') expect(movedBackwards(a, b)).toBe(false);
      }),
      RUNS,
    );
    for (const [from, to] of FORWARD) expect(movedBackwards(from, to)).toBe(false);
    // And the moves the suite met: a posted order shown waiting for acceptance, a cancelled one shipping.
    expect(movedBackwards('shipping', 'awaiting-acceptance')).toBe(true);
    expect(movedBackwards('cancelled', 'shipping')).toBe(true);
  });

  it('a stage never moves on a state the console does not know or on an ended order (the cancellation step has those)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ORDER_STAGES), fc.constantFrom<OrderState>('unknown', ...ENDED_STATES), (stage, s) => {
        expect(nextStage(stage, s)).toBe(stage);
      }),
      RUNS,
    );
  });

  it('stages only go forward: an order posted, blocked or closed stays so whatever the marketplace says next', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('posting', 'posted', 'blocked', 'closed', 'history', 'dismissed', 'ready') as fc.Arbitrary<(typeof ORDER_STAGES)[number]>,
        state,
        (stage, s) => {
          expect(nextStage(stage, s)).toBe(stage);
        },
      ),
      RUNS,
    );
  });

  it('every first state has a first stage, and an unknown one waits for a person', () => {
    fc.assert(
      fc.property(state, (s) => {
        expect(ORDER_STAGES).toContain(initialStage(s));
        if (s === 'unknown') expect(initialStage(s)).toBe('blocked');
      }),
      RUNS,
    );
  });

  it('an order the marketplace sends whole has no problem', () => {
    fc.assert(
      fc.property(fc.boolean().chain(order), (o) => {
        expect(problemsOf(o)).toBeNull();
      }),
      RUNS,
    );
  });
});
