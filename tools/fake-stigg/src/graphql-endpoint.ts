/**
 * One POST /graphql body, answered as Stigg's GraphQL server (Apollo Server) answers it: a request that is not
 * well-formed, a document that does not parse or validate against the contract, or variables that do not coerce
 * are refused with HTTP 400 before anything runs; a document that runs answers HTTP 200, with errors[] for the
 * aliases that failed.
 */
import {
  execute,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode
} from "graphql";
import { type Environment, type Input, stiggError } from "./environment";
import type { RequestFacts } from "./faults";

export interface RecordedError {
  message: string;
  code?: string;
  path?: readonly (string | number)[];
}

export interface GraphQLAnswer {
  status: number;
  body: unknown;
  errors: RecordedError[];
}

/** A request body taken apart as far as it goes, before anything is checked against the contract. */
export interface InspectedRequest {
  /** The parsed JSON body; null when it is not JSON. */
  payload: unknown;
  jsonError: string | null;
  operationName: string | null;
  query: string;
  variables: Record<string, unknown>;
  document: DocumentNode | null;
  operation: OperationDefinitionNode | null;
  facts: RequestFacts;
}

/** An error on one alias of a document, as an alias-error fault asks for. */
export interface AliasFailure {
  alias: string;
  code: string;
  message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function inspectRequest(raw: string): InspectedRequest {
  let payload: unknown = null;
  let jsonError: string | null = null;
  try {
    payload = JSON.parse(raw);
  } catch (error) {
    jsonError = (error as Error).message;
  }
  const body = isRecord(payload) ? payload : {};
  const operationName = typeof body.operationName === "string" ? body.operationName : null;
  const query = typeof body.query === "string" ? body.query : "";
  const variables = isRecord(body.variables) ? body.variables : {};
  let document: DocumentNode | null = null;
  try {
    document = query ? parse(query) : null;
  } catch {
    document = null;
  }
  const operation = (document ? getOperationAST(document, operationName) : null) ?? null;
  const rootFields: string[] = [];
  const aliases: string[] = [];
  for (const selection of operation?.selectionSet.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      rootFields.push(selection.name.value);
      aliases.push(selection.alias?.value ?? selection.name.value);
    }
  }
  return {
    payload,
    jsonError,
    operationName,
    query,
    variables,
    document,
    operation,
    facts: { operationName: operationName ?? operation?.name?.value ?? null, rootFields, aliases }
  };
}

/** Checks the request against the contract and runs it. */
export function answerGraphQL(
  schema: GraphQLSchema,
  environment: Environment,
  request: InspectedRequest,
  aliasFailure: AliasFailure | null = null
): GraphQLAnswer {
  const refuse = (code: string, errors: readonly GraphQLError[]): GraphQLAnswer => {
    const traceId = environment.nextTraceId();
    const body = {
      errors: errors.map((error) => ({ ...error.toJSON(), extensions: { ...error.extensions, code, traceId } }))
    };
    return { status: 400, body, errors: errors.map((error) => ({ message: error.message, code })) };
  };
  const badRequest = (message: string): GraphQLAnswer => refuse("BAD_REQUEST", [new GraphQLError(message)]);

  if (request.jsonError !== null) return badRequest(`The request body is not valid JSON: ${request.jsonError}`);
  const body = request.payload;
  if (!isRecord(body) || Object.keys(body).length === 0) {
    return badRequest("POST body missing, invalid Content-Type, or JSON object has no keys.");
  }
  if (body.query !== undefined && body.query !== null && typeof body.query !== "string") {
    return badRequest("GraphQL queries must be strings.");
  }
  if (typeof body.variables === "string") {
    return badRequest(
      "`variables` in a POST body should be provided as an object, not a recursively JSON-encoded string."
    );
  }
  if (body.variables !== undefined && body.variables !== null && !isRecord(body.variables)) {
    return badRequest("`variables` in a POST body must be an object if provided.");
  }
  if (body.operationName !== undefined && body.operationName !== null && typeof body.operationName !== "string") {
    return badRequest("`operationName` in a POST body must be a string if provided.");
  }
  if (!request.query) {
    return badRequest("GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.");
  }

  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return refuse("GRAPHQL_PARSE_FAILED", [error as GraphQLError]);
  }
  const validationErrors = validate(schema, document);
  if (validationErrors.length > 0) return refuse("GRAPHQL_VALIDATION_FAILED", validationErrors);
  const operation = getOperationAST(document, request.operationName);
  if (!operation) {
    const message =
      request.operationName === null
        ? "Must provide operation name if query contains multiple operations."
        : `Unknown operation named "${request.operationName}".`;
    return refuse("OPERATION_RESOLUTION_FAILURE", [new GraphQLError(message)]);
  }
  // Variables that do not coerce (a missing required field, an Int out of range, a misspelt input field)
  // stop the request before any field runs; each message names the variable and the path inside it.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables, {
    maxErrors: 50
  });
  if (coerced.errors) return refuse("BAD_USER_INPUT", coerced.errors);

  const result = execute({
    schema,
    document,
    rootValue: rootValueWithFailure(environment, aliasFailure),
    variableValues: request.variables,
    operationName: request.operationName
  }) as ExecutionResult;
  const answerBody = result.errors
    ? { data: result.data, errors: result.errors.map((error) => error.toJSON()) }
    : { data: result.data };
  return {
    status: 200,
    body: answerBody,
    errors: (result.errors ?? []).map((error) => ({
      message: error.message,
      code: typeof error.extensions?.code === "string" ? error.extensions.code : undefined,
      path: error.path
    }))
  };
}

type RootResolver = (args: Input, context: unknown, info: GraphQLResolveInfo) => unknown;

/** The environment's root resolvers, with the alias an alias-error fault names failing before it runs. */
function rootValueWithFailure(environment: Environment, failure: AliasFailure | null): Record<string, RootResolver> {
  const resolvers = environment.rootValue();
  if (!failure) return resolvers;
  return Object.fromEntries(
    Object.entries(resolvers).map(([field, resolve]) => [
      field,
      (args: Input, _context: unknown, info: GraphQLResolveInfo) => {
        if (info.path.key === failure.alias) {
          throw stiggError(failure.code, failure.message, environment.nextTraceId());
        }
        return resolve(args);
      }
    ])
  );
}
