/**
 * Resolves on SIGINT or SIGTERM, so the engine stops between writes rather than in the middle of one. The listeners
 * stay: a signal that comes while the host is stopping (a second Ctrl+C, or the copy tsx relays when the first one
 * reached the whole process group) is absorbed instead of ending the host half-way; the stop is bounded by its grace.
 */
export function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.on('SIGINT', resolve);
    process.on('SIGTERM', resolve);
  });
}
