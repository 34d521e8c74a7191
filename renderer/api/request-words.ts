import type { CommandName } from '../../shared/contract';

/**
 * What a person asked for, in their words, for messages about a request the engine did not answer or answered in a
 * way the console cannot read. Never the contract's own message names.
 */
const COMMAND_WORDS: Partial<Record<CommandName, string>> = {
  'engine.runNow': 'starting the run',
  'engine.pause': 'pausing the sync',
  'engine.resume': 'resuming the sync',
  'exceptions.retry': 'the retry',
  'exceptions.dismiss': 'dismissing the exception',
  'settings.update': 'your settings change',
  'connections.saveSap': 'saving the SAP connection',
  'connections.trustSapCertificate': 'trusting the SAP certificate',
  'connections.forgetSapCertificate': 'forgetting the SAP certificate',
  'connections.saveMarketplace': 'saving the marketplace connection',
  'connections.testMarketplace': 'the marketplace connection test',
  'orders.decide': 'your decision on the order',
  'orders.mapSku': 'the SKU mapping',
  'orders.mapVat': 'the VAT mapping',
  'orders.preflight': 'the SAP company check',
  'despatch.saveMapping': 'the carrier mapping',
  'despatch.correct': 'the despatch correction',
};

export function requestWords(kind: 'query' | 'command', name: string): string {
  if (kind === 'query') return 'the information this screen asked for';
  return COMMAND_WORDS[name as CommandName] ?? 'your change';
}
