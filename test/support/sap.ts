import { sapFieldNames } from '../../electron/engine/connectors/connections';
import { sapPort, type SapConnector } from '../../electron/engine/connectors/sap-b1';
import type { Sap } from '../../electron/engine/connectors/ports/sap';
import { SettingsSchema, type Settings } from '../../shared/domain/settings';

/** SAP as the flows see it, over a connector a test built itself, with the field names its settings give (default: the defaults). */
export function asSap(connector: SapConnector, settings: () => Settings = () => SettingsSchema.parse({})): Sap {
  return sapPort(connector, () => sapFieldNames(settings()));
}
