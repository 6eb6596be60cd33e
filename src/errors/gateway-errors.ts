import { GraphQLError } from 'graphql';

/**
 * The closed set of errors a client may see. Each has a fixed `extensions.code`; anything else
 * that reaches `formatError` is masked as INTERNAL_SERVER_ERROR. Messages here must never carry
 * DICOM values (patient names, ids, dates) or upstream internals.
 */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'VERSION_CONFLICT'
  | 'BAD_USER_INPUT'
  | 'FORBIDDEN'
  | 'THROTTLED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UNAUTHENTICATED'
  | 'LIMIT_EXCEEDED'
  | 'DEADLINE_EXCEEDED'
  | 'INTERNAL_SERVER_ERROR';

export abstract class GatewayError extends GraphQLError {
  abstract readonly code: ErrorCode;
  protected constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extensions } });
  }
}

/** The resource does not exist, or is outside the caller's grant (indistinguishable on purpose). */
export class NotFoundError extends GatewayError {
  readonly code = 'NOT_FOUND' as const;
  constructor(message = 'The requested resource was not found.') {
    super(message, 'NOT_FOUND');
  }
}

/** Optimistic concurrency lost: the latest version moved, or the image set is busy (LOCKED). */
export class VersionConflictError extends GatewayError {
  readonly code = 'VERSION_CONFLICT' as const;
  constructor(
    message: string,
    /** The image set the conflict is about, as it is now, when it could be read. */
    current?: {
      imageSetId?: string | undefined;
      latestVersionId?: string | undefined;
      state?: string | undefined;
      workflowStatus?: string | undefined;
    },
  ) {
    super(message, 'VERSION_CONFLICT', current ? { current } : {});
  }
}

export class BadUserInputError extends GatewayError {
  readonly code = 'BAD_USER_INPUT' as const;
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, 'BAD_USER_INPUT', details ?? {});
  }
}

export class ForbiddenError extends GatewayError {
  readonly code = 'FORBIDDEN' as const;
  constructor(message = 'The caller lacks the scope this operation needs.') {
    super(message, 'FORBIDDEN');
  }
}

export class ThrottledError extends GatewayError {
  readonly code = 'THROTTLED' as const;
  constructor(retryAfterSeconds = 1, message = 'HealthImaging is throttling requests; retry later.') {
    super(message, 'THROTTLED', { retryAfterSeconds });
  }
}

export class UpstreamUnavailableError extends GatewayError {
  readonly code = 'UPSTREAM_UNAVAILABLE' as const;
  constructor(message = 'HealthImaging could not be reached or failed; retry later.') {
    super(message, 'UPSTREAM_UNAVAILABLE');
  }
}

export class UnauthenticatedError extends GatewayError {
  readonly code = 'UNAUTHENTICATED' as const;
  constructor(message = 'Valid credentials are required.') {
    super(message, 'UNAUTHENTICATED');
  }
}

/** A documented operation limit refused the request; `limit` names it and `maximum` is its value. */
export class LimitExceededError extends GatewayError {
  readonly code = 'LIMIT_EXCEEDED' as const;
  constructor(message: string, limit: string, maximum: number) {
    super(message, 'LIMIT_EXCEEDED', { limit, maximum });
  }
}

/** The request ran past its deadline; its upstream calls were aborted. */
export class DeadlineExceededError extends GatewayError {
  readonly code = 'DEADLINE_EXCEEDED' as const;
  constructor(deadlineMs: number) {
    super(
      `The request did not complete within its ${deadlineMs} ms deadline; its upstream calls were cancelled.`,
      'DEADLINE_EXCEEDED',
      {
        deadlineMs,
      },
    );
  }
}
