/**
 * The GraphQL-over-HTTP parameters of one request, read the way Apollo Server reads them (POST JSON
 * body, or GET query string), so the request gate judges exactly what Apollo would execute.
 * Batched (array) bodies are refused: the gateway does not batch, and a batch would multiply every
 * per-operation limit.
 */
export interface GraphQLParams {
  query?: string;
  operationName?: string;
  variables: Record<string, unknown>;
  extensions: Record<string, unknown>;
  /** A trusted document's id, `sha256:<hex>` or the bare hex, as an alternative to `extensions.persistedQuery`. */
  documentId?: string;
}

export class GraphQLParamsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphQLParamsError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new GraphQLParamsError(`"${name}" must be a string.`);
  return value;
}

function optionalObject(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new GraphQLParamsError(`"${name}" must be a JSON object.`);
  return value;
}

function jsonParam(raw: string | null, name: string): unknown {
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new GraphQLParamsError(`"${name}" is not valid JSON.`);
  }
}

export function graphqlParamsOf(method: string, body: unknown, search: URLSearchParams): GraphQLParams {
  let source: Record<string, unknown>;
  if (method === 'GET' || method === 'HEAD') {
    source = {
      query: search.get('query') ?? undefined,
      operationName: search.get('operationName') ?? undefined,
      variables: jsonParam(search.get('variables'), 'variables'),
      extensions: jsonParam(search.get('extensions'), 'extensions'),
      documentId: search.get('documentId') ?? undefined,
    };
  } else {
    if (Array.isArray(body))
      throw new GraphQLParamsError('Batched requests are not supported: send one operation per request.');
    if (!isRecord(body)) throw new GraphQLParamsError('The request body must be a JSON object with a "query".');
    source = body;
  }
  const query = optionalString(source.query, 'query');
  const operationName = optionalString(source.operationName, 'operationName');
  const documentId = optionalString(source.documentId, 'documentId');
  return {
    ...(query !== undefined ? { query } : {}),
    ...(operationName !== undefined ? { operationName } : {}),
    variables: optionalObject(source.variables, 'variables'),
    extensions: optionalObject(source.extensions, 'extensions'),
    ...(documentId !== undefined ? { documentId } : {}),
  };
}
