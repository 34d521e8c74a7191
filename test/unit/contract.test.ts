import { describe, expect, it } from 'vitest';
import { ContractError, parseCommand, parseEvent, parseQuery } from '../../shared/contract';

describe('contract', () => {
  it('accepts good payloads and fills defaults', () => {
    expect(parseQuery('runs.list', { flow: 'stock' }).request).toEqual({ flow: 'stock', limit: 50 });
    expect(parseQuery('exceptions.list', {}).request).toMatchObject({ limit: 100, offset: 0 });
    expect(parseCommand('engine.runNow', {}).request).toEqual({});
    expect(parseCommand('exceptions.dismiss', { id: 3, actor: 'Priya', reason: 'Duplicate of #2' }).request.reason).toBe('Duplicate of #2');
    expect(
      parseCommand('settings.update', { actor: 'Priya', patch: { dryRun: true, flows: { stock: { cadenceSeconds: 90 } } } }).request.patch.flows?.stock
        ?.cadenceSeconds,
    ).toBe(90);
  });

  it('rejects unknown messages and bad payloads, naming the field', () => {
    expect(() => parseQuery('orders.delete', {})).toThrow(ContractError);
    expect(() => parseCommand('engine.runNow', { flow: 'payroll' })).toThrow(/flow/);
    expect(() => parseCommand('exceptions.dismiss', { id: 3, actor: 'Priya', reason: '' })).toThrow(/reason/);
    expect(() => parseCommand('exceptions.retry', { id: '3', actor: 'Priya' })).toThrow(/id/);
    expect(() => parseCommand('exceptions.retry', { id: 3, actor: 'Priya', extra: true })).toThrow(/extra|Unrecognized/);
    expect(() => parseCommand('settings.update', { actor: 'Priya', patch: { flows: { stock: { cadenceSeconds: 0 } } } })).toThrow(/cadenceSeconds/);
    expect(() => parseQuery('runs.list', { limit: 100_000 })).toThrow(/limit/);
  });

  it('checks events as strictly as requests', () => {
    expect(() => parseEvent('status.changed', { state: 'running' })).toThrow(ContractError);
  });
});
