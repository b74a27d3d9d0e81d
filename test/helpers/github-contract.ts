/**
 * Every request the code under test makes to GitHub, checked against GitHub's published REST API
 * description (`@octokit/openapi`): the operation must exist for that method and path, its query
 * parameters must be ones the operation takes, with valid values, and a JSON body must match the
 * operation's request schema. The test setup wraps `fetch` (under which nock answers), so this covers
 * the app, the stores, `submit`, `doctor` and curate's pull request look-ups alike. A violation fails
 * the test that made the request.
 */
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  query: Map<string, { schema: unknown; required: boolean }>;
  body: ValidateFunction | undefined;
  /** JSON response schemas by status code, compiled on first use. */
  responses: Map<string, unknown>;
  compiled: Map<string, ValidateFunction>;
  operationId: string;
}

interface Spec {
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, unknown>;
}

/** The bases whose requests are GitHub API requests (a loopback fake checks what reaches it itself). */
const bases = new Set(['https://api.github.com', 'https://uploads.github.com']);
let operations: Operation[] | undefined;
let ajv: Ajv | undefined;
const violations: string[] = [];

/** The violations seen since the last call, emptied. */
export function takeContractViolations(): string[] {
  return violations.splice(0);
}

function load(): Operation[] {
  if (operations) return operations;
  const require = createRequire(import.meta.url);
  const spec = require('@octokit/openapi/generated/api.github.com.json') as Spec;
  // OpenAPI 3.0: `nullable`, `example` and friends are not JSON Schema; formats are not checked.
  ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
  ajv.addSchema({ components: jsonSchema(spec.components) }, 'spec');
  const list: Operation[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    for (const [method, op] of Object.entries(item)) {
      if (!/^(get|post|put|patch|delete)$/.test(method)) continue;
      const operation = op as {
        operationId: string;
        parameters?: Array<{ $ref?: string; name?: string; in?: string; schema?: unknown; required?: boolean }>;
        requestBody?: { content?: Record<string, { schema?: unknown }> };
        responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>;
      };
      const responses = new Map<string, unknown>();
      for (const [status, r] of Object.entries(operation.responses ?? {})) {
        const response = (r.$ref ? resolve(spec, r.$ref) : r) as { content?: Record<string, { schema?: unknown }> };
        const schema = response.content?.['application/json']?.schema;
        if (schema !== undefined) responses.set(status, jsonSchema(schema));
      }
      const query = new Map<string, { schema: unknown; required: boolean }>();
      for (const p of operation.parameters ?? []) {
        const param = p.$ref ? resolve(spec, p.$ref) : p;
        if (param.in === 'query' && param.name)
          query.set(param.name, { schema: jsonSchema(param.schema), required: param.required === true });
      }
      const bodySchema = jsonSchema(operation.requestBody?.content?.['application/json']?.schema);
      list.push({
        method: method.toUpperCase(),
        template,
        pattern,
        query,
        body: bodySchema === undefined ? undefined : compile(bodySchema),
        responses,
        compiled: new Map(),
        operationId: operation.operationId,
      });
    }
  }
  operations = list;
  return list;
}

function resolve(spec: Spec, ref: string): { name?: string; in?: string; schema?: unknown; required?: boolean } {
  let node: unknown = spec;
  for (const key of ref.replace(/^#\//, '').split('/')) node = (node as Record<string, unknown>)[key];
  return node as { name?: string; in?: string; schema?: unknown; required?: boolean };
}

/** OpenAPI 3.0's `nullable: true` as JSON Schema: `null` added to the type, or as an alternative. */
function jsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(jsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) out[key] = jsonSchema(value);
  if (nullable !== true) return out;
  if (Array.isArray(out['enum']) && !out['enum'].includes(null)) out['enum'] = [...(out['enum'] as unknown[]), null];
  if (typeof out['type'] === 'string') return { ...out, type: [out['type'], 'null'] };
  return { anyOf: [out, { type: 'null' }] };
}

/** Compile a schema of the spec; its `#/components/...` references point into the spec. */
function compile(schema: unknown): ValidateFunction {
  const rewritten = JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"spec#/components/')) as object;
  return ajv!.compile(rewritten);
}

/**
 * Check a successful JSON answer (what nock or a loopback fake replied) against the operation's response
 * schema for its status: the mocks must look like what GitHub documents it sends.
 */
export function checkGitHubResponse(method: string, url: URL, status: number, body: unknown): void {
  if (status < 200 || status >= 300) return;
  const base = [...bases].find((b) => url.href.startsWith(`${b}/`));
  if (base === undefined) return;
  const path = url.href.slice(base.length).split('?')[0]!.split('#')[0]!;
  const decoded = path.replace(/%2F/gi, '\u0000');
  const op = load().find((o) => o.method === method && o.pattern.test(decoded));
  const schema = op?.responses.get(String(status));
  if (op === undefined || schema === undefined) return;
  let validate = op.compiled.get(String(status));
  if (validate === undefined) {
    validate = compile(schema);
    op.compiled.set(String(status), validate);
  }
  if (!validate(body))
    violations.push(
      `${method} ${path} (${op.operationId}) answered ${status}: ${ajv!.errorsText(validate.errors?.slice(0, 3))}`,
    );
}

/** Check one request; a violation is recorded (and reported by the test setup), never thrown here. */
export function checkGitHubRequest(method: string, url: URL, body: string | undefined): void {
  const base = [...bases].find((b) => url.href.startsWith(`${b}/`));
  if (base === undefined) return;
  const path = url.href.slice(base.length).split('?')[0]!.split('#')[0]!;
  const decoded = path.replace(/%2F/gi, '\u0000');
  const op = load().find((o) => o.method === method && o.pattern.test(decoded));
  const where = `${method} ${path}`;
  if (op === undefined) {
    violations.push(`${where}: GitHub's API has no such operation`);
    return;
  }
  for (const [name, value] of url.searchParams) {
    const param = op.query.get(name);
    if (param === undefined) {
      violations.push(`${where} (${op.operationId}): no query parameter ${name}`);
      continue;
    }
    const typed = /^-?\d+$/.test(value) && isNumeric(param.schema) ? Number(value) : value;
    const validate = compile(param.schema ?? {});
    if (!validate(typed))
      violations.push(`${where} (${op.operationId}): ${name}=${value}: ${ajv!.errorsText(validate.errors)}`);
  }
  for (const [name, param] of op.query)
    if (param.required && !url.searchParams.has(name))
      violations.push(`${where} (${op.operationId}): query parameter ${name} is required`);
  if (body !== undefined && body !== '' && op.body !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return; // a raw upload (release asset bytes)
    }
    if (!op.body(json)) violations.push(`${where} (${op.operationId}): body ${ajv!.errorsText(op.body.errors)}`);
  }
}

function isNumeric(schema: unknown): boolean {
  const type = (schema as { type?: unknown } | undefined)?.type;
  return type === 'integer' || type === 'number';
}

/** Wrap `fetch` so every request to GitHub is checked on its way to nock or a loopback server. */
const WRAPPED = Symbol.for('granary.github-contract');

export function checkGitHubRequests(): void {
  // Once per process: test files that share a worker run the setup again.
  if ((globalThis.fetch as unknown as Record<symbol, boolean>)[WRAPPED]) return;
  const original = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : String(input));
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const body = typeof init?.body === 'string' ? init.body : undefined;
    try {
      checkGitHubRequest(method, url, body);
    } catch (error) {
      violations.push(`${method} ${url.pathname}: the contract check itself failed: ${(error as Error).message}`);
    }
    const response = await original(input, init);
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      try {
        checkGitHubResponse(method, url, response.status, await response.clone().json());
      } catch (error) {
        violations.push(`${method} ${url.pathname}: the answer could not be checked: ${(error as Error).message}`);
      }
    }
    return response;
  };
  (globalThis.fetch as unknown as Record<symbol, boolean>)[WRAPPED] = true;
}
