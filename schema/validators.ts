/** The schemas compiled once (Ajv, draft 2020-12, with formats) into typed validators. */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import defs from './defs.schema.json' with { type: 'json' };
import packageSchema from './package.schema.json' with { type: 'json' };
import overrideSchema from './override.schema.json' with { type: 'json' };
import registrySchema from './registry.schema.json' with { type: 'json' };
import indexLineSchema from './index-line.schema.json' with { type: 'json' };
import snapshotSchema from './snapshot.schema.json' with { type: 'json' };
import configSchema from './config.schema.json' with { type: 'json' };
import packagesSchema from './packages.schema.json' with { type: 'json' };
import type { IndexConfig, IndexLine, Override, PackageDefinition, PackagesFile, RegistryFile, Snapshot } from './types.js';

// ajv-formats is CommonJS; its default export arrives as the module object under node16 resolution.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema(defs);

export const schemas = {
  defs,
  package: packageSchema,
  override: overrideSchema,
  registry: registrySchema,
  indexLine: indexLineSchema,
  snapshot: snapshotSchema,
  config: configSchema,
  packages: packagesSchema,
} as const;

export const validatePackageDefinition = ajv.compile(packageSchema) as ValidateFunction<PackageDefinition>;
export const validateOverride = ajv.compile(overrideSchema) as ValidateFunction<Override>;
export const validateRegistryFile = ajv.compile(registrySchema) as ValidateFunction<RegistryFile>;
export const validateIndexLine = ajv.compile(indexLineSchema) as ValidateFunction<IndexLine>;
export const validateSnapshot = ajv.compile(snapshotSchema) as ValidateFunction<Snapshot>;
export const validateConfig = ajv.compile(configSchema) as ValidateFunction<IndexConfig>;
export const validatePackagesFile = ajv.compile(packagesSchema) as ValidateFunction<PackagesFile>;

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
