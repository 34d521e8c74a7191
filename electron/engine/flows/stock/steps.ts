/** Lets the engine's other work (the console's queries, another flow) run between two batches of a long piece of work. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Rows a batch of the stock cycle reads or writes in one go: each batch is a few milliseconds of SQLite. */
export const STEP_ROWS = 2_000;

/** Runs `step` (one bounded batch, returning how many rows it did) until a step does nothing, yielding between steps. */
export async function inSteps(step: () => number): Promise<number> {
  let total = 0;
  for (;;) {
    const done = step();
    total += done;
    if (done === 0) return total;
    await yieldToEventLoop();
  }
}
