import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import * as validators from '../../schema/validators.js';
import {
  describeSchemaError,
  schemaErrors,
  validateIndexLine,
  validatePackageDefinition,
} from '../../schema/validators.js';
import {
  GENERATED_PATH,
  generatedFile,
  generateValidatorsSource,
  schemaAjv,
} from '../../tools/schema/generate-validators.js';

const validPackage = {
  name: 'prelude',
  version: '1.2.3',
  license: 'MIT',
  location: { github: 'acme/prelude', subdir: 'packages/prelude' },
  ref: 'v1.2.3',
  description: 'The standard prelude.',
  homepage: 'https://example.com/prelude',
  keywords: ['base', 'fp'],
  dependencies: { '@acme/arrays': '^1.0.0' },
};

const validLine = {
  name: 'prelude',
  version: '1.0.0',
  dependencies: {},
  license: 'MIT',
  sha256: 'b'.repeat(64),
  integrity: `sha256-${Buffer.alloc(32).toString('base64')}`,
  size: 10,
  asset: 'prelude/prelude-1.0.0.tar.gz',
  commit: 'a'.repeat(40),
  ref: 'v1.0.0',
  publishedAt: '2024-05-01T12:00:00Z',
  revision: 1,
};

describe('precompiled schema validators', () => {
  it('are up to date with the schemas', () => {
    const expected = generateValidatorsSource();
    const actual = readFileSync(generatedFile, 'utf8');
    if (actual !== expected) {
      expect.fail(
        `${GENERATED_PATH} is out of date with schema/*.schema.json: run \`npx tsx tools/schema/generate-validators.ts\` (npm run schemas)`,
      );
    }
    expect(generateValidatorsSource()).toBe(expected);
  });

  it('accept a valid package definition', () => {
    expect(validatePackageDefinition(validPackage)).toBe(true);
    expect(validatePackageDefinition.errors).toBeNull();
  });

  it('refuse an unknown key with the additionalProperties error', () => {
    expect(validatePackageDefinition({ ...validPackage, colour: 'blue' })).toBe(false);
    expect(validatePackageDefinition.errors).toEqual([
      expect.objectContaining({
        keyword: 'additionalProperties',
        instancePath: '',
        params: { additionalProperty: 'colour' },
      }),
    ]);
    expect(schemaErrors(validatePackageDefinition as ValidateFunction)).toBe('unknown key "colour" in the document');
  });

  it('report all errors, including formats and missing keys', () => {
    const { license: _license, ...withoutLicense } = validPackage;
    expect(validatePackageDefinition({ ...withoutLicense, homepage: 'https://exa mple.com/', version: '1.0' })).toBe(
      false,
    );
    const described = (validatePackageDefinition.errors ?? []).map(describeSchemaError);
    expect(described).toEqual(
      expect.arrayContaining([
        'the document is missing the required key "license"',
        'version has an invalid format',
        'homepage must match format "uri"',
      ]),
    );
  });

  it('refuse a bad date-time and accept a good one', () => {
    expect(validateIndexLine(validLine)).toBe(true);
    for (const publishedAt of ['yesterday', '2024-02-30T12:00:00Z', '2024-05-01 12:00']) {
      expect(validateIndexLine({ ...validLine, publishedAt }), publishedAt).toBe(false);
      expect(validateIndexLine.errors).toEqual([
        expect.objectContaining({ keyword: 'format', instancePath: '/publishedAt', params: { format: 'date-time' } }),
      ]);
    }
  });

  it('use the Ajv runtime helpers (string length in code points, unique items)', () => {
    expect(validatePackageDefinition({ ...validPackage, description: '\u{1F33E}'.repeat(300) })).toBe(true);
    expect(validatePackageDefinition({ ...validPackage, description: '\u{1F33E}'.repeat(301) })).toBe(false);
    expect(validatePackageDefinition.errors?.[0]).toMatchObject({ keyword: 'maxLength', instancePath: '/description' });
    expect(validatePackageDefinition({ ...validPackage, keywords: ['fp', 'fp'] })).toBe(false);
    expect(validatePackageDefinition.errors?.[0]).toMatchObject({ keyword: 'uniqueItems', instancePath: '/keywords' });
  });

  it('report the same errors as the schemas compiled by Ajv at run time', () => {
    const { ajv, refs } = schemaAjv();
    const samples: Record<keyof typeof refs, unknown[]> = {
      packageDefinition: [
        validPackage,
        { ...validPackage, colour: 'blue', location: { github: 'acme/prelude', git: 'https://x' } },
        { ...validPackage, dependencies: { Bad_Name: '', ok: 1 }, owners: [], files: { include: ['\u0001'] } },
        {
          ...validPackage,
          location: { git: 'https://example.com/x.git', subdir: '../up' },
          ref: 'a..b',
          commit: 'xyz',
        },
        [],
        null,
      ],
      override: [{}, { dependencies: { x: '^1' } }, { nope: true }],
      registryFile: [{}, { name: 'acme' }],
      indexLine: [{}, { name: 'prelude', version: '1.0.0' }, validLine, { ...validLine, newKey: 1, size: -1 }],
      config: [{}, { format: 2, name: 'acme', assetBase: 'https://example.com/', newKey: true }, { format: 1 }],
      packagesFile: [{}, { format: 2, packages: {} }],
      downloadStats: [
        {},
        { format: 1, updatedAt: '2026-11-30T00:23:00Z', source: 'none', packages: {} },
        {
          format: 1,
          updatedAt: 'yesterday',
          source: 'github-releases',
          since: '2026-13-01',
          packages: { Bad: {}, ok: { total: -1, versions: { x: 1 }, days: [{ date: '2026-11-30' }] } },
        },
      ],
    };
    for (const [name, inputs] of Object.entries(samples) as [keyof typeof refs, unknown[]][]) {
      const compiled = ajv.getSchema(refs[name])!;
      const precompiled = validators[
        `validate${name[0]!.toUpperCase()}${name.slice(1)}` as keyof typeof validators
      ] as ValidateFunction;
      for (const input of inputs) {
        const ok = precompiled(input);
        expect({ name, input, ok, errors: precompiled.errors }).toEqual({
          name,
          input,
          ok: compiled(input),
          errors: compiled.errors,
        });
      }
    }
  });

  it('do not load the Ajv compiler', () => {
    const validatorsModule = fileURLToPath(new URL('../../schema/validators.ts', import.meta.url));
    const script = `await import(${JSON.stringify(validatorsModule)});
      const { createRequire } = await import('node:module');
      console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    const loaded = (JSON.parse(out) as string[]).filter((f) => /[\\/]node_modules[\\/]ajv(-formats)?[\\/]/.test(f));
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded.filter((f) => !/[\\/](runtime[\\/][^\\/]+|formats)\.js$/.test(f))).toEqual([]);
  });
});
