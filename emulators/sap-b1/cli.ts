/**
 * npm run emulator:sap -- --port 50000 [--https] [--items 200] [--warehouses 4] [--not-nettable 0] [--drop-ship 0]
 *   [--company SBODEMOGB] [--user manager] [--password manager] [--no-etags] [--sql-queries available|absent|not-permitted]
 *
 * --no-etags emulates a Service Layer older than 10.0 FP 2102: no ETags, If-Match ignored.
 * --sql-queries absent emulates one older than 10.0 FP 2011 (no SQLQueries); not-permitted refuses every SQL query.
 */
import { parseArgs } from 'node:util';
import { DEFAULTS, startSapEmulator } from './index';
import { SQL_QUERY_ACCESS, type SqlQueryAccess } from './state';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '50000' },
    https: { type: 'boolean', default: false },
    items: { type: 'string', default: '200' },
    warehouses: { type: 'string', default: '4' },
    'not-nettable': { type: 'string', default: '0' },
    'drop-ship': { type: 'string', default: '0' },
    'sql-queries': { type: 'string', default: 'available' },
    company: { type: 'string', default: DEFAULTS.company },
    user: { type: 'string', default: DEFAULTS.user },
    password: { type: 'string', default: DEFAULTS.password },
    'no-etags': { type: 'boolean', default: false },
  },
});

const sqlQueries = values['sql-queries'] as SqlQueryAccess;
if (!SQL_QUERY_ACCESS.includes(sqlQueries)) throw new Error(`--sql-queries is one of ${SQL_QUERY_ACCESS.join(', ')}`);

const emulator = await startSapEmulator({
  port: Number(values.port),
  https: values.https,
  company: values.company,
  user: values.user,
  password: values.password,
  etags: !values['no-etags'],
  sqlQueries,
  seed: {
    items: Number(values.items),
    warehouses: Number(values.warehouses),
    notNettable: Number(values['not-nettable']),
    dropShip: Number(values['drop-ship']),
  },
});
console.log(`SAP B1 Service Layer emulator on ${emulator.url}/b1s/v2 (and /b1s/v1); company ${values.company}, user ${values.user}`);
if (emulator.certificate) console.log(`Certificate SHA-256: ${emulator.certificate.sha256}`);
console.log(`Admin API: ${emulator.url}/__admin/ — ${values.items} items × ${values.warehouses} warehouses`);
const stop = () => void emulator.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
