/**
 * A process that logs to a disk with no room (/dev/full: every write fails with ENOSPC, as on a full disk), then
 * ends on its own; the logging test runs it apart and checks that it neither crashes nor hangs at exit.
 */
import { createLogger } from '../../electron/engine/logging';

const log = createLogger({ destination: '/dev/full' });
for (let i = 0; i < 200; i++) log.info('A line the full disk will not take', { i });
setTimeout(() => {
  process.stdout.write('still running\n');
  process.exit(0);
}, 300);
