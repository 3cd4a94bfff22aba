/**
 * GitHub's REST API description (from `@octokit/openapi`), used by the fake GitHub to route every request to
 * a documented operation and to validate its parameters, its body and the fake's own responses.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext its default import is the module object, whose `default` is the plugin.
const addFormats = addFormatsModule.default;

/** The id under which the whole description is added to Ajv, so `#/components/...` refs resolve inside it. */
const SPEC_ID = 'https://api.github.com/openapi.json';
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonObject;
  'x-multi-segment'?: boolean;
}

interface OperationObject {
  operationId: string;
  parameters?: (ParameterObject | { $ref: string })[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: JsonObject }> };
  responses: Record<string, { content?: Record<string, { schema?: JsonObject }> }>;
  externalDocs?: { url: string };
}

interface Segment {
  literal?: string;
  param?: string;
  multi?: boolean;
}

/** One operation of the description, ready to match paths against. */
export interface Operation {
  method: string;
  template: string;
  operationId: string;
  documentationUrl: string;
  segments: Segment[];
  parameters: ParameterObject[];
  hasRequestBody: boolean;
  requestBodyRequired: boolean;
  object: OperationObject;
}

export interface RouteMatch {
  operation: Operation;
  /** Decoded path parameters, as strings (validation coerces them to their schema type). */
  pathParams: Record<string, string>;
}

/** One validation problem, in the shape of GitHub's `errors` entries. */
export interface ValidationProblem {
  resource: string;
  field: string;
  code: 'missing_field' | 'invalid' | 'unexpected';
  message: string;
}

interface Description {
  operations: Map<string, Operation[]>;
  spec: JsonObject;
}

let description: Description | undefined;

/** Reads and indexes the description once per process (13 MB of JSON: about 0.3 s). */
function loadDescription(): Description {
  if (description) return description;
  const require = createRequire(import.meta.url);
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
  const spec = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
  normalizeNullable(spec);
  widenToGitHubAnswers(spec);
  const operations = new Map<string, Operation[]>();
  const paths = spec.paths as unknown as Record<string, Record<string, OperationObject>>;
  for (const [template, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const object = item[method];
      if (!object) continue;
      const parameters = (object.parameters ?? []).map((parameter) => resolveParameter(spec, parameter));
      const multi = new Set(parameters.filter((p) => p['x-multi-segment']).map((p) => p.name));
      const segments = template
        .split('/')
        .slice(1)
        .map((segment): Segment => {
          const param = /^\{([^}]+)\}$/.exec(segment)?.[1];
          return param ? { param, multi: multi.has(param) } : { literal: segment };
        });
      const operation: Operation = {
        method: method.toUpperCase(),
        template,
        operationId: object.operationId,
        documentationUrl: object.externalDocs?.url ?? 'https://docs.github.com/rest',
        segments,
        parameters,
        hasRequestBody: object.requestBody !== undefined,
        requestBodyRequired: object.requestBody?.required === true,
        object,
      };
      const list = operations.get(operation.method) ?? [];
      list.push(operation);
      operations.set(operation.method, list);
    }
  }
  description = { operations, spec };
  return description;
}

/**
 * OpenAPI 3.0's `nullable` needs a sibling `type` in Ajv; the description also puts it next to `allOf`,
 * `anyOf`, `oneOf` and `$ref`. Those become `anyOf: [schema, {type: null}]`, which means the same. A
 * nullable `enum` gets `null` among its values, as the description means (`conclusion: null`).
 */
function normalizeNullable(node: Json): void {
  if (Array.isArray(node)) {
    for (const item of node) normalizeNullable(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const value of Object.values(node)) normalizeNullable(value);
  if (node.nullable === true && Array.isArray(node.enum) && !node.enum.includes(null)) {
    node.enum = [...node.enum, null];
  }
  if (node.nullable === true && node.type === undefined) {
    const inner: JsonObject = { ...node };
    delete inner.nullable;
    delete inner.description;
    for (const key of Object.keys(node)) if (key !== 'description') delete node[key];
    node.anyOf = [inner, { type: 'null' }];
  }
}

/**
 * Where GitHub answers what its description does not allow: an outdated review comment has `line` and `position`
 * null (the description types them as integers), keeping `original_line` and `original_position`.
 */
function widenToGitHubAnswers(spec: JsonObject): void {
  const schemas = (spec.components as JsonObject).schemas as JsonObject;
  const comment = (schemas['pull-request-review-comment'] as JsonObject).properties as JsonObject;
  for (const key of ['line', 'position']) {
    const property = comment[key] as JsonObject;
    comment[key] = { anyOf: [property, { type: 'null' }] };
  }
}

function resolvePointer(spec: JsonObject, ref: string): Json {
  if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
  let node: Json = spec;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !(key in node)) {
      throw new Error(`unresolvable $ref ${ref}`);
    }
    node = node[key] as Json;
  }
  return node;
}

function resolveParameter(spec: JsonObject, parameter: ParameterObject | { $ref: string }): ParameterObject {
  return '$ref' in parameter
    ? (resolvePointer(spec, parameter.$ref) as unknown as ParameterObject)
    : parameter;
}

/**
 * A deep copy of a schema of the description whose `#/...` refs point into the description added to Ajv.
 * With `closeObjects`, inline object schemas that list their properties reject unknown ones (GitHub ignores
 * most unknown keys, but a key it does not know is a bug in the client: a typo or a field of another
 * endpoint). Branches of `allOf`/`anyOf`/`oneOf` stay open, since their properties are split across branches.
 */
function portableSchema(schema: Json, closeObjects: boolean, branch = false): Json {
  if (Array.isArray(schema)) return schema.map((item) => portableSchema(item, closeObjects, branch));
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) copy[key] = SPEC_ID + value;
    else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf')
      copy[key] = portableSchema(value, closeObjects, true);
    else if (key === 'properties' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      copy[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, portableSchema(sub, closeObjects)]),
      );
    } else if (key === 'example' || key === 'examples' || key === 'description') continue;
    else copy[key] = portableSchema(value, closeObjects);
  }
  if (
    closeObjects &&
    !branch &&
    copy.properties !== undefined &&
    copy.additionalProperties === undefined &&
    copy.patternProperties === undefined
  ) {
    copy.additionalProperties = false;
  }
  return copy;
}

let bodyAjv: Ajv | undefined;
let parameterAjv: Ajv | undefined;

function newAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateSchema: false,
    logger: false,
    verbose: true,
    unicodeRegExp: false,
    coerceTypes: coerce ? 'array' : false,
  });
  addFormats(ajv);
  // Formats of the description that JSON Schema does not define.
  ajv.addFormat('repo.nwo', true);
  ajv.addFormat('timestamp', true);
  ajv.addSchema(loadDescription().spec, SPEC_ID);
  return ajv;
}

function bodyValidator(): Ajv {
  bodyAjv ??= newAjv(false);
  return bodyAjv;
}

function parameterValidator(): Ajv {
  parameterAjv ??= newAjv(true);
  return parameterAjv;
}

/** Finds the documented operation for a method and a raw (still percent-encoded) path. */
export function matchOperation(method: string, rawPath: string): RouteMatch | undefined {
  const candidates = loadDescription().operations.get(method.toUpperCase()) ?? [];
  let segments: string[];
  try {
    segments = rawPath.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  let best: { match: RouteMatch; literals: number } | undefined;
  for (const operation of candidates) {
    const params = matchSegments(operation.segments, segments);
    if (!params) continue;
    const literals = operation.segments.filter((segment) => segment.literal !== undefined).length;
    if (!best || literals > best.literals) best = { match: { operation, pathParams: params }, literals };
  }
  return best?.match;
}

function matchSegments(template: Segment[], path: string[]): Record<string, string> | undefined {
  const [head, ...rest] = template;
  if (!head) return path.length === 0 ? {} : undefined;
  if (head.literal !== undefined) {
    return path[0] === head.literal ? matchSegments(rest, path.slice(1)) : undefined;
  }
  const name = head.param!;
  if (!head.multi) {
    if (path[0] === undefined || path[0] === '') return undefined;
    const tail = matchSegments(rest, path.slice(1));
    return tail && { [name]: path[0], ...tail };
  }
  // A multi-segment parameter (a file path, a ref, `base...head`) takes as many segments as lets the rest match.
  for (let take = path.length - rest.length; take >= 1; take -= 1) {
    const tail = matchSegments(rest, path.slice(take));
    if (tail) return { [name]: path.slice(0, take).join('/'), ...tail };
  }
  return undefined;
}

const parameterCache = new Map<string, ValidateFunction>();
const bodyCache = new Map<string, ValidateFunction>();
const responseCache = new Map<string, ValidateFunction | null>();

function parameterSchema(operation: Operation, location: 'path' | 'query'): JsonObject {
  const parameters = operation.parameters.filter((parameter) => parameter.in === location);
  return {
    type: 'object',
    properties: Object.fromEntries(
      parameters.map((parameter) => [parameter.name, portableSchema(parameter.schema ?? {}, false)]),
    ),
    required: parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name),
    additionalProperties: false,
  };
}

/**
 * Validates path and query parameters against the operation's parameter schemas, coercing them in place to
 * their declared types (`pull_number` becomes a number). Unknown query parameters are reported too.
 */
export function validateParameters(
  operation: Operation,
  location: 'path' | 'query',
  values: Record<string, unknown>,
): ValidationProblem[] {
  const key = `${operation.operationId} ${location}`;
  let validate = parameterCache.get(key);
  if (!validate) {
    validate = parameterValidator().compile(parameterSchema(operation, location));
    parameterCache.set(key, validate);
  }
  return validate(values) ? [] : problems(validate.errors ?? [], location);
}

/** Validates a JSON request body against the operation's request body schema (unknown keys rejected). */
export function validateBody(operation: Operation, body: unknown): ValidationProblem[] {
  let validate = bodyCache.get(operation.operationId);
  if (!validate) {
    const schema = operation.object.requestBody?.content['application/json']?.schema ?? {};
    validate = bodyValidator().compile(portableSchema(schema, true) as JsonObject);
    bodyCache.set(operation.operationId, validate);
  }
  return validate(body) ? [] : problems(validate.errors ?? [], 'body');
}

/**
 * Validates a response the fake sends against the operation's documented JSON response for that status,
 * to keep the fake honest. Returns `undefined` when the description documents no JSON schema for it.
 */
export function validateResponse(
  operation: Operation,
  status: number,
  body: unknown,
): ValidationProblem[] | undefined {
  const key = `${operation.operationId} ${status}`;
  let validate = responseCache.get(key);
  if (validate === undefined) {
    let response: Json | undefined = operation.object.responses[String(status)] as unknown as
      Json | undefined;
    if (response !== null && typeof response === 'object' && !Array.isArray(response)) {
      if (typeof response.$ref === 'string') response = resolvePointer(loadDescription().spec, response.$ref);
    }
    const schema = (response as OperationObject['responses'][string] | undefined)?.content?.[
      'application/json'
    ]?.schema;
    validate = schema ? bodyValidator().compile(portableSchema(schema, false) as JsonObject) : null;
    responseCache.set(key, validate);
  }
  if (validate === null) return undefined;
  return validate(body) ? [] : problems(validate.errors ?? [], 'response');
}

function problems(errors: ErrorObject[], resource: string): ValidationProblem[] {
  return errors
    .filter((error) => !['anyOf', 'oneOf', 'if'].includes(error.keyword) || errors.length === 1)
    .map((error) => {
      const field = error.instancePath.slice(1).replaceAll('/', '.');
      const where = field === '' ? resource : `${resource}.${field}`;
      if (error.keyword === 'required') {
        const missing = String((error.params as { missingProperty: string }).missingProperty);
        const path = field === '' ? missing : `${field}.${missing}`;
        return {
          resource,
          field: path,
          code: 'missing_field',
          message: `${resource}.${path} is missing`,
        };
      }
      if (error.keyword === 'additionalProperties') {
        const extra = String((error.params as { additionalProperty: string }).additionalProperty);
        const path = field === '' ? extra : `${field}.${extra}`;
        return {
          resource,
          field: path,
          code: 'unexpected',
          message: `${resource}.${path} is not a permitted key`,
        };
      }
      return {
        resource,
        field,
        code: 'invalid',
        message: `${where} ${error.message ?? 'is invalid'} (got ${preview(error.data)})`,
      };
    });
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
