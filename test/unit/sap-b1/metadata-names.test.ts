import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SAP_ACTIONS, SAP_ENTITY_SETS, SAP_FUNCTIONS, SAP_TYPES, SAP_VERSIONED_PROPERTIES } from '../../../electron/engine/connectors/sap-b1';
import { isUserField, parseMetadata } from '../../../emulators/sap-b1/metadata/parse';
import { METADATA_NAMES } from '../../../emulators/sap-b1/metadata/names';

const here = path.dirname(fileURLToPath(import.meta.url));
const reference = path.resolve(here, '../../../../shared/reference/sap-b1-metadata');
const load = (version: 'v1' | 'v2') => {
  const xml = readFileSync(path.join(reference, `servicelayer-${version}-metadata.xml`), 'utf8');
  return { xml, md: parseMetadata(xml) };
};

/** Every name the connector may send, per version, as "Type.Property". */
function declaredProperties(version: 'v1' | 'v2'): [string, string][] {
  const out: [string, string][] = [];
  for (const [type, props] of Object.entries(SAP_TYPES)) for (const p of props) out.push([type, p]);
  for (const [type, props] of Object.entries(SAP_VERSIONED_PROPERTIES[version])) for (const p of props) out.push([type, p]);
  return out;
}

describe.each(['v2', 'v1'] as const)('connector names against SAP’s real %s $metadata', (version) => {
  const { xml, md } = load(version);

  it('uses only entity sets SAP has, with the entity types the connector expects', () => {
    const wrong = Object.entries(SAP_ENTITY_SETS).filter(([set, type]) => md.entitySets.get(set) !== type);
    expect(wrong).toEqual([]);
  });

  it('reads and writes only properties SAP has (user-defined U_ fields excepted)', () => {
    const missing = declaredProperties(version)
      .filter(([, p]) => !isUserField(p))
      .filter(([type, p]) => !md.types.get(type)?.has(p))
      .map(([type, p]) => `${type}.${p}`);
    expect(missing).toEqual([]);
  });

  it('calls only bound actions and function imports SAP declares', () => {
    for (const actions of Object.values(SAP_ACTIONS)) for (const a of actions) expect(xml).toMatch(new RegExp(`Name="${a}"`));
    for (const f of SAP_FUNCTIONS)
      expect(xml).toMatch(version === 'v1' ? new RegExp(`FunctionImport Name="${f}"[^>]*m:HttpMethod="POST"`) : new RegExp(`<Function Name="${f}">`));
  });

  it('catches a DB column name used instead of the Service Layer name', () => {
    expect(md.types.get('Document')?.has('DocStatus')).toBe(false);
    expect(md.types.get('ItemWarehouseInfo')?.has('OnHand')).toBe(false);
  });

  it('the emulator’s name lists match the metadata it was generated from', () => {
    const emulated = METADATA_NAMES[version].types as Record<string, Record<string, string>>;
    for (const [type, props] of Object.entries(emulated)) {
      const real = md.types.get(type)!;
      expect(Object.keys(props).sort()).toEqual([...real.keys()].filter((n) => !isUserField(n)).sort());
    }
  });
});
