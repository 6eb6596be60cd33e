/**
 * The error shapes of the medical-imaging service model. Every failure HealthImaging Local
 * reports is one of these; the HTTP layer turns it into the restJson1 error wire format
 * (status, `x-amzn-ErrorType`, `{"message"}`), which the SDK maps back to the named exception.
 */
export const ERROR_STATUS = {
  ValidationException: 400,
  BadRequestException: 400,
  ServiceQuotaExceededException: 402,
  AccessDeniedException: 403,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  IncompleteSignatureException: 403,
  MissingAuthenticationTokenException: 403,
  ResourceNotFoundException: 404,
  UnknownOperationException: 404,
  NotAcceptableException: 406,
  ConflictException: 409,
  ThrottlingException: 429,
  InternalServerException: 500,
} as const;

export type ServiceErrorName = keyof typeof ERROR_STATUS;

export class ServiceError extends Error {
  readonly status: number;
  constructor(
    readonly errorName: ServiceErrorName,
    message: string,
  ) {
    super(message);
    this.name = errorName;
    this.status = ERROR_STATUS[errorName];
  }
}

export const validation = (message: string): ServiceError => new ServiceError('ValidationException', message);
export const notFound = (message: string): ServiceError => new ServiceError('ResourceNotFoundException', message);
export const conflict = (message: string): ServiceError => new ServiceError('ConflictException', message);
