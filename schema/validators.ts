/**
 * Typed validators for the schemas (draft 2020-12, with formats), precompiled by Ajv's standalone code
 * generation into ./generated/validators.ts so that importing them does not load or run the Ajv compiler.
 * After changing a schema, run `npm run schemas` (npx tsx tools/schema/generate-validators.ts).
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import * as generated from './generated/validators.js';
import defs from './defs.schema.json' with { type: 'json' };
import packageSchema from './package.schema.json' with { type: 'json' };
import overrideSchema from './override.schema.json' with { type: 'json' };
import registrySchema from './registry.schema.json' with { type: 'json' };
import indexLineSchema from './index-line.schema.json' with { type: 'json' };
import configSchema from './config.schema.json' with { type: 'json' };
import packagesSchema from './packages.schema.json' with { type: 'json' };
import downloadStatsSchema from './download-stats.schema.json' with { type: 'json' };
import type {
  DownloadStatsFile,
  IndexConfig,
  IndexLine,
  Override,
  PackageDefinition,
  PackagesFile,
  RegistryFile,
} from './types.js';

export const schemas = {
  defs,
  package: packageSchema,
  override: overrideSchema,
  registry: registrySchema,
  indexLine: indexLineSchema,
  config: configSchema,
  packages: packagesSchema,
  downloadStats: downloadStatsSchema,
} as const;

export const validatePackageDefinition = generated.packageDefinition as unknown as ValidateFunction<PackageDefinition>;
export const validateOverride = generated.override as unknown as ValidateFunction<Override>;
export const validateRegistryFile = generated.registryFile as unknown as ValidateFunction<RegistryFile>;
export const validateIndexLine = generated.indexLine as unknown as ValidateFunction<IndexLine>;
export const validateConfig = generated.config as unknown as ValidateFunction<IndexConfig>;
export const validatePackagesFile = generated.packagesFile as unknown as ValidateFunction<PackagesFile>;
export const validateDownloadStats = generated.downloadStats as unknown as ValidateFunction<DownloadStatsFile>;

/** The errors of the last call of `validate`, in one line. */
export function schemaErrors(validate: ValidateFunction): string {
  return (validate.errors ?? []).map(describeSchemaError).join('; ');
}

/** A schema error as a sentence about the offending key. */
export function describeSchemaError(e: ErrorObject): string {
  const at = e.instancePath === '' ? 'the document' : e.instancePath.slice(1).replace(/\//g, '.');
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown key "${String(e.params.additionalProperty)}" in ${at}`;
    case 'required':
      return `${at} is missing the required key "${String(e.params.missingProperty)}"`;
    case 'pattern':
      return `${at} has an invalid format`;
    default:
      return `${at} ${e.message ?? 'is invalid'}`;
  }
}
