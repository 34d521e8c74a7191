import { describe, test } from 'vitest';
import { page, type Locator } from 'vitest/browser';
import { consoleScenarios, type ConsoleDriver, type Target } from '../scenarios/console-scenarios';
import { FAKE_WORLD, seedFakeWorld } from './fake-world';
import { renderConsole } from './render-console';

/** Finds what a scenario names in the console rendered against the fake engine (Vitest's browser locators). */
function locate(t: Target): Locator {
  const base = t.within ? locate(t.within) : page;
  if (t.testId) return base.getByTestId(t.testId);
  if (t.role) return base.getByRole(t.role, { ...(t.name === undefined ? {} : { name: t.name }), ...(t.exact ? { exact: true } : {}) });
  if (t.label) return base.getByLabelText(t.label, { exact: true });
  if (t.placeholder) return base.getByPlaceholder(t.placeholder, { exact: true });
  throw new Error(`A target names nothing: ${JSON.stringify(t)}`);
}

const fakeDriver: ConsoleDriver = {
  patienceMs: 5_000,
  async open(screen) {
    await renderConsole((api) => seedFakeWorld(api, FAKE_WORLD), { hash: `#/${screen}`, actor: FAKE_WORLD.operator });
  },
  click: (t) => locate(t).click(),
  fill: (t, value) => locate(t).fill(value),
  select: async (t, value) => void (await locate(t).selectOptions(value)),
  text: async (t) => locate(t).query()?.textContent ?? null,
  count: async (t) => locate(t).elements().length,
};

/** The console scenarios (test/scenarios) against the fake engine; test/e2e/scenarios.test.ts runs them against the real one. */
describe('console scenarios against the fake engine', () => {
  for (const scenario of consoleScenarios) test(scenario.name, () => scenario.run(fakeDriver, FAKE_WORLD));
});
