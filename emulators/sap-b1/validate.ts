import { invalidProperty, type SlVersion } from './errors';
import type { EmulatorState, Entity } from './state';

const childType = (edm: string | undefined) => /^(?:Collection\()?([A-Za-z_0-9]+)\)?$/.exec(edm ?? '')?.[1];

/**
 * Rejects any property SAP's metadata does not have for the type (and its nested lines, batches, addresses)
 * with -1000, as SAP does; UDFs count only once they are registered in UserFieldsMD. Returns a copy in the
 * stored (v2) naming.
 */
export function validateBody(state: EmulatorState, version: SlVersion, typeName: string, body: unknown): Entity {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidProperty('(body)', typeName);
  const props = state.properties(version, typeName);
  const out: Entity = {};
  for (const [key, value] of Object.entries(body as Entity)) {
    if (key.startsWith('odata.') || key.startsWith('@odata.')) continue;
    const edm = props.get(key);
    if (!edm) throw invalidProperty(key, typeName);
    const child = edm.startsWith('Edm.') ? undefined : childType(edm);
    const childIsStructured = child !== undefined && state.properties(version, child).size > 0;
    let v: unknown = value;
    if (childIsStructured && Array.isArray(value)) v = value.map((x) => validateBody(state, version, child, x));
    else if (childIsStructured && value && typeof value === 'object') v = validateBody(state, version, child, value);
    out[typeName === 'BatchNumber' && key === 'BatchNumber' ? 'BatchNumberProperty' : key] = v;
  }
  return out;
}
