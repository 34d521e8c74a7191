import type { FlowDeps } from '../engine';
import type { Flow } from './flow';
import { healthFlow, type SystemProbe } from './health/health-flow';
import { httpProbe } from './health/http-probe';

/** The flows a real engine runs, built from the settings and secrets its host provides. */
export function standardFlows(deps: FlowDeps): Flow[] {
  return [healthFlow(() => probesFor(deps))];
}

function probesFor(deps: FlowDeps): SystemProbe[] {
  const settings = deps.settings();
  const probes: SystemProbe[] = [];
  const isDryRun = () => deps.settings().dryRun;
  if (settings.sap) {
    const client = deps.ports.http.create({
      system: 'sap-b1',
      baseURL: settings.sap.baseUrl,
      timeoutMs: settings.sap.timeoutSeconds * 1000,
      pinnedCertificate: settings.sap.pinnedCertificate,
      isDryRun,
    });
    probes.push(httpProbe('sap-b1', 'SAP Business One Service Layer', client, `/b1s/${settings.sap.serviceLayerVersion}/`, deps.ports.clock));
  }
  if (settings.marketplace) {
    const client = deps.ports.http.create({ system: 'marketplace', baseURL: settings.marketplace.baseUrl, timeoutMs: settings.marketplace.timeoutSeconds * 1000, isDryRun });
    probes.push(httpProbe('marketplace', 'John Lewis Marketplace', client, '/api/version', deps.ports.clock));
  }
  return probes;
}
