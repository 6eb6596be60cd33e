import { randomUUID } from 'node:crypto';
import { GraphQLError, Kind, type GraphQLFormattedError } from 'graphql';
import { requestIdOfError } from './error-request-ids';
import { GatewayError } from './gateway-errors';
import { describeError, silentLogger, type Logger } from '../logging/logger';
import { sanitizeSyntaxMessage, sanitizeValidationMessage, sanitizeVariableMessage } from './sanitize-graphql-message';

/**
 * Apollo `formatError`: every error leaves as a code from a closed set, or is masked.
 *
 * - Our own errors (`GatewayError`, wherever they were thrown) keep message, code and their own
 *   extensions.
 * - Request-level errors Apollo raises before execution keep Apollo's standard codes
 *   (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT, PERSISTED_QUERY_*, ...):
 *   clients and tooling key on them (Apollo Client's persisted-query link retries on
 *   PERSISTED_QUERY_NOT_FOUND), and renaming them would buy nothing. Their messages are rewritten
 *   to drop any input value they quote.
 * - type-graphql's own auth and argument-validation errors are mapped onto our codes.
 * - Everything else, including anything thrown inside a resolver that is not ours, becomes
 *   INTERNAL_SERVER_ERROR "Internal server error" with `extensions.requestId`, and is logged
 *   (class name, code, stack frames; never the message).
 */

export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

/** Codes Apollo assigns to errors raised outside resolvers; passed through when the error has no path. */
const REQUEST_LEVEL_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/** Extensions Apollo adds to request-level errors that clients may see. */
const REQUEST_LEVEL_EXTENSIONS = ['validationErrorCode'] as const;

/** Never sent, whatever the error: stack traces, HTTP hints (Apollo consumes them), raw originals. */
const NEVER_SENT_EXTENSIONS: ReadonlySet<string> = new Set(['stacktrace', 'http', 'exception', 'originalError']);

export interface FormatErrorOptions {
  logger?: Logger;
}

export type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** The error itself or the first `GatewayError` along its `originalError` chain. */
function findGatewayError(error: unknown): GatewayError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof GatewayError) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

function innermost(error: unknown): unknown {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth += 1) {
    const next = (current as { originalError?: unknown } | null)?.originalError;
    if (next === undefined || next === null || next === current) break;
    current = next;
  }
  return current;
}

function base(
  formatted: GraphQLFormattedError,
  message: string,
  extensions: Record<string, unknown>,
): GraphQLFormattedError {
  return {
    message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions,
  };
}

function gatewayExtensions(error: GatewayError): Record<string, unknown> {
  const extensions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error.extensions)) {
    if (!NEVER_SENT_EXTENSIONS.has(key)) extensions[key] = value;
  }
  extensions.code = error.code;
  return extensions;
}

interface FieldProblem {
  field: string;
  constraints: string[];
}

/** class-validator errors without their `value`s and `target`s: the field paths and constraint names only. */
function fieldProblems(errors: unknown, prefix = ''): FieldProblem[] {
  if (!Array.isArray(errors)) return [];
  const problems: FieldProblem[] = [];
  for (const item of errors) {
    const property = (item as { property?: unknown })?.property;
    if (typeof property !== 'string') continue;
    const field = prefix ? `${prefix}.${property}` : property;
    const constraints = (item as { constraints?: unknown }).constraints;
    if (constraints && typeof constraints === 'object') problems.push({ field, constraints: Object.keys(constraints) });
    problems.push(...fieldProblems((item as { children?: unknown }).children, field));
  }
  return problems;
}

/** type-graphql raises these itself (from `@Authorized` when a checker returns false, or from class-validator). */
function fromTypeGraphql(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError | undefined {
  const original = innermost(error);
  const name = (original as { constructor?: { name?: string } } | null)?.constructor?.name;
  switch (name) {
    case 'AuthenticationError':
      return base(formatted, 'Valid credentials are required.', { code: 'UNAUTHENTICATED' });
    case 'AuthorizationError':
      return base(formatted, 'The caller lacks the scope this operation needs.', { code: 'FORBIDDEN' });
    case 'ArgumentValidationError':
      return base(formatted, 'Argument validation failed.', {
        code: 'BAD_USER_INPUT',
        fields: fieldProblems((original as GraphQLError).extensions?.validationErrors),
      });
    default:
      return undefined;
  }
}

function requestLevel(formatted: GraphQLFormattedError, error: unknown, code: string): GraphQLFormattedError {
  const extensions: Record<string, unknown> = { code };
  for (const key of REQUEST_LEVEL_EXTENSIONS) {
    const value = formatted.extensions?.[key];
    if (value !== undefined) extensions[key] = value;
  }
  const graphqlError = error instanceof GraphQLError ? error : undefined;
  let message = formatted.message;
  if (code === 'GRAPHQL_PARSE_FAILED') {
    message = sanitizeSyntaxMessage(message);
  } else if (code === 'GRAPHQL_VALIDATION_FAILED') {
    message = sanitizeValidationMessage(message, graphqlError?.nodes);
  } else if (code === 'BAD_USER_INPUT') {
    const inner = graphqlError?.originalError;
    const reason = inner instanceof Error ? inner.message : undefined;
    message =
      sanitizeVariableMessage(message, reason) ??
      (/^Variable "\$[_A-Za-z][_0-9A-Za-z]*" of (required|non-null) type "[^"]+" (was not provided|must not be null)\.$/.test(
        message,
      )
        ? message
        : 'The request has an invalid input value.');
  }
  return base(formatted, message, extensions);
}

/** The same test Apollo applies: one variable-definition node and graphql-js's coercion wording. */
function isVariableCoercionError(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.nodes?.length !== 1) return false;
  const node = error.nodes[0];
  if (node?.kind !== Kind.VARIABLE_DEFINITION) return false;
  const prefix = `Variable "$${node.variable.name.value}" `;
  return ['got invalid value ', 'has invalid value', 'of required type ', 'of non-null type '].some((rest) =>
    error.message.startsWith(prefix + rest),
  );
}

export function createFormatError(options: FormatErrorOptions = {}): FormatError {
  const logger = options.logger ?? silentLogger;

  return (formatted, error) => {
    const gatewayError = findGatewayError(error);
    if (gatewayError) {
      return base(formatted, gatewayError.message, gatewayExtensions(gatewayError));
    }

    const mapped = fromTypeGraphql(formatted, error);
    if (mapped) return mapped;

    const code = formatted.extensions?.code;
    if (!formatted.path && typeof code === 'string' && REQUEST_LEVEL_CODES.has(code)) {
      return requestLevel(formatted, error, code);
    }
    if (!formatted.path && code === undefined && isVariableCoercionError(error)) {
      // Straight from graphql-js (Apollo would have coded it BAD_USER_INPUT already).
      return requestLevel(formatted, error, 'BAD_USER_INPUT');
    }

    // Not ours, not Apollo's: a bug or an unmapped dependency error. Mask it, log it, correlate it.
    const requestId = requestIdOfError(error) ?? randomUUID();
    logger.error('graphql.internal_error', {
      requestId,
      path: formatted.path?.join('.'),
      code: typeof code === 'string' ? code : undefined,
      ...describeError(innermost(error)),
    });
    return base(formatted, INTERNAL_ERROR_MESSAGE, { code: 'INTERNAL_SERVER_ERROR', requestId });
  };
}

/** A formatter that masks without logging; the gateway uses `createFormatError({ logger })`. */
export const formatError: FormatError = createFormatError();
