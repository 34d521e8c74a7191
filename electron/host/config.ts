import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SECRET_NAMES, SettingsSchema } from '../../shared/domain/settings';
import { AVAILABLE_FLOWS, FLOW_NAMES, roleRunsFlow } from '../../shared/domain/flows';

/**
 * The headless host's configuration file (docs/configuration.md). Secrets are never in it: it names the
 * environment variables that hold them.
 */
export const HostConfigSchema = z
  .object({
    /** Where the ledger, settings changes and logs live; relative paths are from the config file's folder. */
    dataDir: z.string().default('./.data/engine'),
    console: z
      .object({
        port: z.number().int().min(0).max(65_535).default(0),
        /** 127.0.0.1 (this computer only) unless IT sets another; the host then says so loudly at every start. */
        address: z.union([z.ipv4(), z.ipv6()]).default('127.0.0.1'),
        /** Names a browser may use to reach a console on another address (the PC's name on the LAN); loopback names always work. */
        hostNames: z
          .array(z.string().regex(/^[A-Za-z0-9.-]{1,253}$/))
          .max(20)
          .default([]),
      })
      .strict()
      .default({ port: 0, address: '127.0.0.1', hostNames: [] }),
    settings: SettingsSchema.default(SettingsSchema.parse({})),
    secrets: z
      .partialRecord(z.enum(SECRET_NAMES), z.object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/) }).strict())
      .default({ 'sap.password': { env: 'SAP_PASSWORD' }, 'marketplace.apiKey': { env: 'MARKETPLACE_API_KEY' } }),
    log: z
      .object({ level: z.enum(['debug', 'info', 'warn', 'error']).default('info'), file: z.string().default('engine.log') })
      .strict()
      .default({ level: 'info', file: 'engine.log' }),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const flow of FLOW_NAMES) {
      if (config.settings.flows[flow].enabled && !(AVAILABLE_FLOWS as readonly string[]).includes(flow)) {
        ctx.addIssue({
          code: 'custom',
          path: ['settings', 'flows', flow, 'enabled'],
          message: `this version has no ${flow} flow: it cannot be switched on (flows: ${AVAILABLE_FLOWS.join(', ')})`,
        });
      }
      if (config.settings.flows[flow].enabled && !roleRunsFlow(config.settings.role, flow)) {
        ctx.addIssue({
          code: 'custom',
          path: ['settings', 'flows', flow, 'enabled'],
          message: `a finance console (settings.role) does not run the ${flow} flow: switch it off here, or set the role to operations`,
        });
      }
    }
  });
export type HostConfig = z.infer<typeof HostConfigSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads and checks a configuration file; every problem is reported with its path in the file. */
export function loadConfig(file: string, overrides: { dataDir?: string } = {}): HostConfig & { dataDir: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Cannot read the configuration file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = HostConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`).join('\n');
    throw new ConfigError(`The configuration file ${file} has problems:\n${problems}`);
  }
  const base = path.dirname(path.resolve(file));
  return { ...parsed.data, dataDir: path.resolve(overrides.dataDir ?? path.resolve(base, parsed.data.dataDir)) };
}
