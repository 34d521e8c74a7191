/**
 * Reads entity sets and property names out of a Service Layer $metadata document (OData v3 EDMX or v4 CSDL).
 * A regex reader is enough: SAP's files are machine-written, one element per line, and we only need names.
 */
export interface MetadataNames {
  /** Entity set name → entity type name (without the SAPB1. namespace). */
  entitySets: Map<string, string>;
  /** Entity or complex type name → property name → EDM type (navigation properties excluded). */
  types: Map<string, Map<string, string>>;
}

export function parseMetadata(xml: string): MetadataNames {
  const entitySets = new Map<string, string>();
  const types = new Map<string, Map<string, string>>();
  for (const m of xml.matchAll(/<EntitySet\b([^>]*)>/g)) {
    const attrs = m[1] ?? '';
    const name = /\bName="([^"]+)"/.exec(attrs)?.[1];
    const type = /\bEntityType="(?:SAPB1\.)?([^"]+)"/.exec(attrs)?.[1];
    if (name && type) entitySets.set(name, type);
  }
  for (const m of xml.matchAll(/<(EntityType|ComplexType)\b[^>]*\bName="([^"]+)"[^>]*>([\s\S]*?)<\/\1>/g)) {
    const props = new Map<string, string>();
    for (const p of (m[3] ?? '').matchAll(/<Property\b([^>]*)\/?>/g)) {
      const attrs = p[1] ?? '';
      const name = /\bName="([^"]+)"/.exec(attrs)?.[1];
      const type = /\bType="([^"]+)"/.exec(attrs)?.[1];
      if (name && type) props.set(name, type.replace(/SAPB1\./g, ''));
    }
    types.set(m[2]!, props);
  }
  return { entitySets, types };
}

/** User-defined fields (U_…) belong to one customer's company database, not to SAP. */
export const isUserField = (name: string): boolean => name.startsWith('U_');
