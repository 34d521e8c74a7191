import path from 'node:path';

/**
 * Zone rules: which folder may import which. Each import (static, dynamic, re-export, `import type`) is resolved
 * to a path from the repository root and compared with the folders the rule forbids, so `../../connectors/sap-b1`,
 * `../connectors/sap-b1/errors` and a deeper relative path are one and the same import. Packages are not zones.
 *
 * Options: { forbid: [{ target: 'electron/engine/connectors/sap-b1', except?: ['…'], message: '…' }] }
 * A target is a folder or a file without its extension; `except` names paths inside it that stay allowed.
 */
const root = path.resolve(import.meta.dirname, '..');

function normalise(file) {
  return file
    .split(path.sep)
    .join('/')
    .replace(/\.(d\.ts|tsx?|mts|cts|jsx?|mjs|cjs)$/, '')
    .replace(/\/index$/, '');
}

function inside(resolved, target) {
  const t = normalise(target);
  return resolved === t || resolved.startsWith(`${t}/`);
}

const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports cross zones only where the architecture allows' },
    schema: [
      {
        type: 'object',
        properties: {
          forbid: {
            type: 'array',
            items: {
              type: 'object',
              properties: { target: { type: 'string' }, except: { type: 'array', items: { type: 'string' } }, message: { type: 'string' } },
              required: ['target', 'message'],
              additionalProperties: false,
            },
          },
        },
        required: ['forbid'],
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const { forbid } = context.options[0];
    const from = path.dirname(context.filename);
    function check(node, source) {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const resolved = normalise(path.relative(root, path.resolve(from, source.value)));
      for (const rule of forbid) {
        if (!inside(resolved, rule.target)) continue;
        if ((rule.except ?? []).some((allowed) => normalise(allowed) === resolved)) continue;
        context.report({ node: source, message: `${source.value}: ${rule.message}` });
        return;
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportType: (node) => check(node, node.argument?.literal ?? node.argument),
    };
  },
};

// One rule under a name per zone, so each zone's config block sets its own list without replacing another's.
export default { meta: { name: 'zones' }, rules: { engine: boundaries, flows: boundaries, connectors: boundaries, 'host-and-shell': boundaries } };
