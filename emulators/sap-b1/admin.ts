import type { FaultRule } from './faults';
import type { DespatchRequest } from './despatch';
import type { SeedOptions } from './seed';
import type { SqlQueryAccess } from './state';

/** What the in-process handle and the /__admin/ API can do to a running emulator. */
export interface EmulatorAdmin {
  /** Back to the company the emulator started with (same seed), with no documents, sessions, calls or faults. */
  reset(): void;
  /** Replaces the company with a freshly generated one. */
  seed(options: SeedOptions): void;
  calls(): import('./state').RecordedCall[];
  clearCalls(): void;
  faults(): FaultRule[];
  setFaults(rules: FaultRule[]): void;
  addFault(rule: FaultRule): void;
  expireSessions(): void;
  despatch(request: DespatchRequest): Record<string, unknown>;
  setStock(itemCode: string, warehouseCode: string, inStock: number): void;
  /** What SQLQueries does from now on (kept across `seed`, back to the start-up option on `reset`). */
  setSqlQueries(access: SqlQueryAccess): void;
}

export interface AdminResponse {
  status: number;
  body?: unknown;
}

/** Routes /__admin/… requests (documented in docs/emulators/sap-b1.md). */
export function adminRoute(admin: EmulatorAdmin, method: string, path: string, body: unknown): AdminResponse {
  const route = `${method.toUpperCase()} ${path.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /__admin/health':
      return { status: 200, body: { ok: true } };
    case 'POST /__admin/reset':
      admin.reset();
      return { status: 204 };
    case 'POST /__admin/seed':
      admin.seed((body ?? {}) as SeedOptions);
      return { status: 204 };
    case 'GET /__admin/calls':
      return { status: 200, body: { calls: admin.calls() } };
    case 'DELETE /__admin/calls':
      admin.clearCalls();
      return { status: 204 };
    case 'GET /__admin/faults':
      return { status: 200, body: { faults: admin.faults() } };
    case 'PUT /__admin/faults':
      admin.setFaults(Array.isArray(body) ? (body as FaultRule[]) : []);
      return { status: 204 };
    case 'POST /__admin/faults':
      admin.addFault(body as FaultRule);
      return { status: 204 };
    case 'DELETE /__admin/faults':
      admin.setFaults([]);
      return { status: 204 };
    case 'POST /__admin/sessions/expire':
      admin.expireSessions();
      return { status: 204 };
    case 'POST /__admin/despatch':
      return { status: 201, body: admin.despatch(body as DespatchRequest) };
    case 'PUT /__admin/stock': {
      const b = body as { itemCode: string; warehouseCode: string; inStock: number };
      admin.setStock(b.itemCode, b.warehouseCode, b.inStock);
      return { status: 204 };
    }
    case 'PUT /__admin/sql-queries':
      admin.setSqlQueries((body as { access?: SqlQueryAccess } | undefined)?.access as SqlQueryAccess);
      return { status: 204 };
    default:
      return { status: 404, body: { error: `No admin route ${route}` } };
  }
}
