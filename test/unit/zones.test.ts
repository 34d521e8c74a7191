import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';

/**
 * The zones (docs/decisions/0002-engine-process.md) hold only if their rules fail on a planted violation. Each case
 * lints code as if it sat at a path inside a zone (nothing is written to disk) and checks that the zone rule speaks.
 */
const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function zoneProblems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId?.startsWith('zones/')).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('zone rules (lint)', () => {
  it('a flow that imports a concrete connector fails lint', async () => {
    const problems = await zoneProblems(
      'electron/engine/flows/stock/push.ts',
      "import { isSapError } from '../../connectors/sap-b1';\nimport type { MarketplaceError } from '../../connectors/john-lewis/errors';\nexport const x: unknown[] = [isSapError, null as unknown as MarketplaceError];\n",
    );
    expect(problems).toEqual(
      [
        '../../connectors/sap-b1: a flow never imports a concrete connector: use its port.',
        '../../connectors/john-lewis/errors: a flow never imports a concrete connector: use its port.',
      ].map((m) => `zones/flows: ${m}`),
    );
  });

  it('a flow that spells a wire value (tYES, a U_ field, a marketplace state code) fails lint', async () => {
    const [result] = await eslint.lintText(
      "export const open = { Confirmed: 'tYES' };\nexport const field = `U_${'JLM_OrderId'}`;\nexport const due = (s: string) => s === 'SHIPPING';\nexport const fine = 'shipping';\n",
      { filePath: path.join(root, 'electron/engine/flows/stock/push.ts') },
    );
    expect(result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message)).toEqual([
      "SAP's tYES/tNO is a wire value: the connector translates it.",
      'A U_ field name is a wire value: the connector translates it.',
      'A marketplace state code is a wire value: the connector translates it.',
    ]);
  });

  it('a connector that imports a flow fails lint', async () => {
    const problems = await zoneProblems('electron/engine/connectors/sap-b1/planted.ts', "export { stockFlow } from '../../flows/stock';\n");
    expect(problems).toEqual(['zones/connectors: ../../flows/stock: a connector never imports a flow.']);
  });

  it('the engine importing the host, the shell, the emulators or the console fails lint', async () => {
    const problems = await zoneProblems(
      'electron/engine/flows/health/planted.ts',
      [
        "import { startHost } from '../../../host/run-host';",
        "import { trayModel } from '../../../main/tray-model';",
        "import { startSapEmulator } from '../../../../emulators/sap-b1';",
        "const console = await import('../../../../renderer/app/Console');",
        'export const all = [startHost, trayModel, startSapEmulator, console];',
      ].join('\n'),
    );
    expect(problems).toEqual([
      'zones/engine: ../../../host/run-host: the engine never imports the headless host.',
      'zones/engine: ../../../main/tray-model: the engine never imports the Electron shell.',
      'zones/engine: ../../../../emulators/sap-b1: the engine never imports the emulators: it talks to them over HTTP like to the real systems.',
      'zones/engine: ../../../../renderer/app/Console: the engine never imports the console: they share only the contract in shared/.',
    ]);
  });

  it('the host or the shell importing an engine module other than electron/engine/index.ts fails lint', async () => {
    expect(await zoneProblems('electron/host/planted.ts', "import { createEngine } from '../engine/engine';\nexport const x = createEngine;\n")).toEqual([
      'zones/host-and-shell: ../engine/engine: import the engine from electron/engine/index.ts only.',
    ]);
    expect(await zoneProblems('electron/main/adapters/planted.ts', "import type { Logger } from '../../engine/ports';\nexport type X = Logger;\n")).toEqual([
      'zones/host-and-shell: ../../engine/ports: import the engine from electron/engine/index.ts only.',
    ]);
  });

  it('allows what the architecture allows: a flow on ports, the ledger and the domain; the host on electron/engine/index.ts', async () => {
    const flow = [
      "import type { Marketplace } from '../../connectors/marketplace';",
      "import type { Clock } from '../../ports';",
      "import type { Ledger } from '../../ledger';",
      "import { FLOW_NAMES } from '../../../../shared/domain/flows';",
      'export type Uses = Marketplace | Clock | Ledger;',
      'export const names = FLOW_NAMES;',
    ].join('\n');
    const [flowResult] = await eslint.lintText(flow, { filePath: path.join(root, 'electron/engine/flows/stock/push.ts') });
    expect(flowResult!.messages).toEqual([]);
    const host =
      "import { createEngine } from '../engine';\nimport type { Logger } from '../engine/index';\nexport const x = createEngine;\nexport type L = Logger;\n";
    const [hostResult] = await eslint.lintText(host, { filePath: path.join(root, 'electron/host/planted.ts') });
    expect(hostResult!.messages).toEqual([]);
  });
});

describe('zone boundary (TypeScript): the engine project sees only the engine and shared/', () => {
  it('an engine file importing the host, the shell, the emulators, the console or the tests does not compile; shared/ does', () => {
    const configFile = path.join(root, 'tsconfig.engine.json');
    const parsed = ts.getParsedCommandLineOfConfigFile(
      configFile,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    )!;
    // Planted in memory at a path inside electron/engine: the project's own rules decide, nothing is written.
    const planted = path.join(root, 'electron/engine/zone-planted.ts');
    const imports = [
      "import type { HostConfig } from '../host/config';",
      "import type { TrayModel } from '../main/tray-model';",
      "import type { SapEmulator } from '../../emulators/sap-b1';",
      "import type { Transport } from '../../renderer/api/transport';",
      "import type { TestPorts } from '../../test/support/ports';",
      "import type { Settings } from '../../shared/domain/settings';",
    ];
    const text = `${imports.join('\n')}\nexport type Everything = [HostConfig, TrayModel, SapEmulator, Transport, TestPorts, Settings];\n`;
    const host = ts.createCompilerHost(parsed.options);
    const getSourceFile = host.getSourceFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.getSourceFile = (file, language, ...rest) =>
      path.resolve(file) === planted ? ts.createSourceFile(file, text, language) : getSourceFile(file, language, ...rest);
    host.fileExists = (file) => path.resolve(file) === planted || fileExists(file);
    // Read shared/ from its sources, as the editor does, instead of needing `tsc -b` to have built it first.
    Object.assign(host, { useSourceOfProjectReferenceRedirect: () => true });
    const program = ts.createProgram({ rootNames: [...parsed.fileNames, planted], options: parsed.options, projectReferences: parsed.projectReferences, host });
    const source = program.getSourceFile(planted)!;
    const notInProject = program
      .getSemanticDiagnostics(source)
      .filter((d) => d.code === 6307 && d.file === source)
      .map((d) => source.getLineAndCharacterOfPosition(d.start!).line);
    // Lines 0–4 (host, shell, emulators, console, tests) are refused; line 5 (shared/) is not.
    expect(notInProject.sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
