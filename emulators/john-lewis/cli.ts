import { parseArgs } from 'node:util';
import { DEFAULT_API_KEY, startMarketplaceEmulator } from './index';

/** npm run emulator:jl -- --port 8071 [--api-key KEY] [--rate-limits] [--order-list-pages each-page|one-listing] [--no-returns-module] [--no-demo] */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8071' },
    'api-key': { type: 'string', default: DEFAULT_API_KEY },
    'rate-limits': { type: 'boolean', default: false },
    // Which reading of OR11's once-a-minute limit --rate-limits enforces: every page counts, or one listing does.
    'order-list-pages': { type: 'string', default: 'each-page' },
    'no-returns-module': { type: 'boolean', default: false },
    'no-demo': { type: 'boolean', default: false },
  },
});

const pagesCount = values['order-list-pages'];
if (pagesCount !== 'each-page' && pagesCount !== 'one-listing') {
  process.stderr.write(`--order-list-pages is each-page or one-listing, not '${pagesCount}'\n`);
  process.exit(2);
}
const emulator = await startMarketplaceEmulator({
  port: Number(values.port),
  apiKey: values['api-key'],
  config: {
    rateLimits: values['rate-limits'],
    orderListPagesCount: pagesCount,
    ...(values['no-returns-module'] ? { returnsModule: { marketplace: false, dropShip: false } } : {}),
  },
});
if (!values['no-demo']) {
  emulator.admin.seedOffers([
    { sku: 'JL-1001', quantity: 12, price: '24.00' },
    { sku: 'JL-1002', quantity: 5, price: '89.95' },
    { sku: 'JL-2001', quantity: 40, price: '6.50', taxes: ['reduced'] },
    { sku: 'JL-3001', quantity: 3, price: '15.00', taxes: ['zero'] },
  ]);
  emulator.admin.createOrders({ count: 3, quantities: [1, 2] });
}
process.stdout.write(`John Lewis Marketplace emulator on ${emulator.url} (API key: as given by --api-key, default documented)\n`);
const stop = () => void emulator.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
