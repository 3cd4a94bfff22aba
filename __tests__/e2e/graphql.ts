/**
 * GitHub's GraphQL API for the fake GitHub: requests are parsed and validated against GitHub's real schema (from
 * `@octokit/graphql-schema`) and executed by graphql-js, with resolvers the fake provides. Errors come back in
 * GitHub's shape (`type`, `path`, `locations`, `message`), and what a correct client would never send is reported
 * as a violation.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  type DocumentNode,
  type GraphQLFieldResolver,
  GraphQLError,
  GraphQLScalarType,
  type GraphQLSchema,
  Kind,
  buildSchema,
  executeSync,
  parse,
  validate,
} from 'graphql';

/** An error the fake's resolvers raise, as GitHub reports it: `type` is GitHub's (`STALE_DATA`, `FORBIDDEN`...). */
export class GitHubGraphqlError extends Error {
  constructor(
    readonly type: string,
    message: string,
    /** What rule the client broke, when it is the client's fault. */
    readonly violation?: string,
    readonly extensions?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The answer to one `POST /graphql`: GitHub answers 200 with `data` and/or `errors`. */
export interface GraphqlOutcome {
  json: { data?: unknown; errors?: GitHubGraphqlErrorJson[] };
  violations: string[];
  /** The root fields of the executed operation (`createCommitOnBranch`, `repository`...). */
  rootFields: string[];
}

export interface GitHubGraphqlErrorJson {
  type?: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  extensions?: Record<string, unknown>;
  message: string;
}

let schema: GraphQLSchema | undefined;

/** GitHub's GraphQL schema, built once per process (about 0.25 s). */
export function githubSchema(): GraphQLSchema {
  if (schema) return schema;
  const require = createRequire(import.meta.url);
  // The package exports only its (eagerly parsing) index module: read the SDL file beside it.
  const file = (require.resolve.paths('@octokit/graphql-schema') ?? [])
    .map((directory) => join(directory, '@octokit', 'graphql-schema', 'schema.graphql'))
    .find((candidate) => existsSync(candidate));
  if (!file) throw new Error('@octokit/graphql-schema is not installed (npm ci)');
  const built = buildSchema(readFileSync(file, 'utf8'), { assumeValidSDL: true });
  const base64 = built.getType('Base64String');
  if (base64 instanceof GraphQLScalarType) {
    // RFC 4648 base64 with padding, as GitHub requires of `FileAddition.contents`.
    const check = (value: unknown): string => {
      if (
        typeof value !== 'string' ||
        !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(value)
      ) {
        throw new GraphQLError(
          `${JSON.stringify(value)?.slice(0, 40)} is not valid Base64 (RFC 4648, padded)`,
        );
      }
      return value;
    };
    base64.parseValue = check;
    base64.parseLiteral = (node) => {
      if (node.kind !== Kind.STRING) throw new GraphQLError('Base64String must be a string');
      return check(node.value);
    };
  }
  schema = built;
  return schema;
}

/**
 * Resolves a field from the source object's property of the same name (a function is called with the field's
 * arguments); a field the fake has not implemented is an error and a violation, never a silent `null`.
 */
const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, _context, info) => {
  if (source !== null && typeof source === 'object' && info.fieldName in source) {
    const value = (source as Record<string, unknown>)[info.fieldName];
    return typeof value === 'function' ? (value as (a: unknown) => unknown).call(source, args) : value;
  }
  const field = `${info.parentType.name}.${info.fieldName}`;
  throw new GitHubGraphqlError(
    'INTERNAL',
    `The fake GitHub does not implement ${field}`,
    `the fake GitHub does not implement the GraphQL field ${field}; add it to __tests__/e2e/fake-github.ts if the Action needs it`,
  );
};

/** Parses, validates and executes a GraphQL request body against GitHub's schema with the given root resolvers. */
export function runGraphql(body: unknown, root: Record<string, unknown>): GraphqlOutcome {
  const violations: string[] = [];
  const fail = (message: string, violation: string): GraphqlOutcome => {
    violations.push(violation);
    return { json: { errors: [{ message }] }, violations, rootFields: [] };
  };
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return fail(
      'A query attribute must be specified and must be a string.',
      'the GraphQL request body is not an object',
    );
  }
  const { query, variables, operationName, ...rest } = body as Record<string, unknown>;
  if (typeof query !== 'string') {
    return fail(
      'A query attribute must be specified and must be a string.',
      'the GraphQL request has no query string',
    );
  }
  if (Object.keys(rest).length > 0) {
    violations.push(
      `the GraphQL request has unknown keys ${Object.keys(rest).join(', ')} (only query, variables, operationName)`,
    );
  }
  if (
    variables !== undefined &&
    variables !== null &&
    (typeof variables !== 'object' || Array.isArray(variables))
  ) {
    return fail('Variables are invalid JSON.', 'the GraphQL variables are not an object');
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    return fail('operationName must be a string', 'the GraphQL operationName is not a string');
  }
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    const parseError = error as GraphQLError;
    violations.push(`the GraphQL query does not parse: ${parseError.message}`);
    return { json: { errors: [errorJson(parseError)] }, violations, rootFields: [] };
  }
  const problems = validate(githubSchema(), document);
  if (problems.length > 0) {
    violations.push(
      `the GraphQL query is not valid against GitHub's schema: ${problems.map((problem) => problem.message).join('; ')}`,
    );
    return { json: { errors: problems.map(errorJson) }, violations, rootFields: [] };
  }
  const result = executeSync({
    schema: githubSchema(),
    document,
    rootValue: root,
    variableValues: (variables as Record<string, unknown> | null | undefined) ?? undefined,
    operationName: (operationName as string | null | undefined) ?? undefined,
    fieldResolver,
  });
  const errors = (result.errors ?? []).map((error) => {
    const original = error.originalError;
    if (original instanceof GitHubGraphqlError) {
      if (original.violation) violations.push(original.violation);
    } else if (original && !(original instanceof GraphQLError)) {
      // A bug of the fake itself: fail the test loudly rather than hide it.
      violations.push(`the fake GitHub failed: ${original.stack ?? original.message}`);
    } else {
      violations.push(`GraphQL error: ${error.message}`);
    }
    return errorJson(error);
  });
  const json: GraphqlOutcome['json'] = {};
  if (result.data !== undefined) json.data = result.data;
  if (errors.length > 0) json.errors = errors;
  return { json, violations, rootFields: rootFieldsOf(document, operationName) };
}

function errorJson(error: GraphQLError): GitHubGraphqlErrorJson {
  const original = error.originalError;
  const github = original instanceof GitHubGraphqlError ? original : undefined;
  return {
    ...(github ? { type: github.type } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(github?.extensions ? { extensions: github.extensions } : {}),
    ...(error.locations ? { locations: error.locations.map(({ line, column }) => ({ line, column })) } : {}),
    message: error.message,
  };
}

function rootFieldsOf(document: DocumentNode, operationName: unknown): string[] {
  const operation = document.definitions.find(
    (definition) =>
      definition.kind === Kind.OPERATION_DEFINITION &&
      (typeof operationName !== 'string' || definition.name?.value === operationName),
  );
  if (operation?.kind !== Kind.OPERATION_DEFINITION) return [];
  return operation.selectionSet.selections.flatMap((selection) =>
    selection.kind === Kind.FIELD ? [selection.name.value] : [],
  );
}
