/**
 * The emulator's clock: a base time source (the real clock, or the test's fake clock) plus whatever the
 * admin API has advanced it by. Deadlines, debits and imports all read it, so tests never sleep.
 */
export class EmulatorClock {
  private offset = 0;
  constructor(private readonly base: () => number = Date.now) {}
  now(): number {
    return this.base() + this.offset;
  }
  iso(ms = this.now()): string {
    return new Date(ms).toISOString();
  }
  advance(ms: number): void {
    this.offset += Math.max(0, ms);
  }
}
