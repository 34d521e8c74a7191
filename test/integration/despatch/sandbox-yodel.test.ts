import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../electron/host/sandbox';
import { tempDir } from '../../support/ports';

/** The sandbox's Yodel despatch can be resolved from the console by mapping Yodel as a named carrier. */
describe('sandbox: Yodel, a carrier the marketplace list does not have', () => {
  const tmp = tempDir('sandbox-yodel-');
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, dataDir: tmp.dir, items: 50, healthCadenceSeconds: 3600, onlyFlows: ['health'] });
  });
  afterAll(async () => {
    await sandbox?.stop();
    tmp.cleanup();
  });

  it('offers a named-carrier mapping for Yodel, and takes it', async () => {
    const engine = sandbox.host.engine;
    const table = await engine.query('despatch.carriers', {});
    expect(table.namedCarriers).toBe('allowed');
    expect(table.carriers.map((c) => c.code)).not.toContain('YODEL');
    expect(table.mappings.find((m) => m.sapCarrier === 'Yodel')).toMatchObject({ carrierCode: null, named: null });
    const saved = await engine.command('despatch.saveMapping', {
      sapCarrier: 'Yodel',
      named: { carrierName: 'Yodel', trackingUrl: 'https://www.yodel.co.uk/tracking/{trackingId}' },
      actor: 'Priya Shah',
    });
    expect(saved.mapping).toMatchObject({ sapCarrier: 'Yodel', named: { carrierName: 'Yodel' }, valid: true });
  });
});
