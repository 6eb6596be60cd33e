import { Readable } from 'node:stream';
import {
  AccessDeniedException,
  ConflictException,
  InternalServerException,
  MedicalImagingServiceException,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-medical-imaging';
import {
  BadUserInputError,
  NotFoundError,
  ThrottledError,
  UpstreamUnavailableError,
  VersionConflictError,
} from '../../../src/errors/gateway-errors';
import {
  classifyUpstreamError,
  describeForLog,
  discardResponseBody,
  safeParameterNames,
  toGatewayError,
  type UpstreamErrorKind,
} from '../../../src/imaging/upstream/upstream-errors';

const meta = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'req-1', attempts: 1, totalRetryDelay: 0 });
const PATIENT_VALUE = 'DOE^JANE';

function modelled<T>(
  Ctor: new (opts: { message: string; $metadata: ReturnType<typeof meta> }) => T,
  status: number,
  message = 'x',
): T {
  return new Ctor({ message, $metadata: meta(status) });
}

function unmodelled(
  name: string,
  status: number,
  fault: 'client' | 'server' = 'client',
): MedicalImagingServiceException {
  return new MedicalImagingServiceException({ name, $fault: fault, message: 'unmodelled', $metadata: meta(status) });
}

function transport(name: string, extra: Record<string, unknown> = {}, message = 'transport failure'): Error {
  return Object.assign(new Error(message), { name, ...extra });
}

describe('classifyUpstreamError', () => {
  const cases: Array<[string, unknown, UpstreamErrorKind]> = [
    ['ResourceNotFoundException', modelled(ResourceNotFoundException, 404), 'not-found'],
    ['ConflictException', modelled(ConflictException, 409), 'conflict'],
    ['ValidationException', modelled(ValidationException, 400), 'validation'],
    ['BadRequestException (newer model)', unmodelled('BadRequestException', 400), 'validation'],
    ['NotAcceptableException (newer model)', unmodelled('NotAcceptableException', 406), 'validation'],
    ['ServiceQuotaExceededException', modelled(ServiceQuotaExceededException, 402), 'quota'],
    ['AccessDeniedException', modelled(AccessDeniedException, 403), 'access'],
    ['UnrecognizedClientException', unmodelled('UnrecognizedClientException', 403), 'access'],
    ['InvalidSignatureException', unmodelled('InvalidSignatureException', 403), 'access'],
    ['ExpiredTokenException', unmodelled('ExpiredTokenException', 403), 'access'],
    ['a credentials provider failure', transport('CredentialsProviderError'), 'access'],
    ['ThrottlingException', modelled(ThrottlingException, 429), 'throttled'],
    ['TooManyRequestsException', unmodelled('TooManyRequestsException', 429), 'throttled'],
    ['InternalServerException', modelled(InternalServerException, 500), 'server'],
    ['ServiceUnavailableException', unmodelled('ServiceUnavailableException', 503, 'server'), 'server'],
    ['a request timeout', transport('TimeoutError', { code: 'ETIMEDOUT' }), 'timeout'],
    [
      'a connect timeout',
      transport(
        'TimeoutError',
        {},
        '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 5 ms.',
      ),
      'unsent',
    ],
    ['our deadline abort', transport('AbortError'), 'timeout'],
    ['ETIMEDOUT without a name', transport('Error', { code: 'ETIMEDOUT' }), 'timeout'],
    ['ECONNREFUSED', transport('Error', { code: 'ECONNREFUSED' }), 'unsent'],
    ['ENOTFOUND', transport('Error', { code: 'ENOTFOUND' }), 'unsent'],
    ['ECONNRESET', transport('Error', { code: 'ECONNRESET' }), 'network'],
    ['EPIPE', transport('Error', { code: 'EPIPE' }), 'network'],
    ['socket hang up', transport('Error', {}, 'socket hang up'), 'network'],
    ['an unknown name with status 404', unmodelled('Weird', 404), 'not-found'],
    ['an unknown name with status 409', unmodelled('Weird', 409), 'conflict'],
    ['an unknown name with status 400', unmodelled('Weird', 400), 'validation'],
    ['an unknown name with status 402', unmodelled('Weird', 402), 'quota'],
    ['an unknown name with status 401', unmodelled('Weird', 401), 'access'],
    ['an unknown name with status 429', unmodelled('Weird', 429), 'throttled'],
    ['an unknown name with status 502', unmodelled('Weird', 502, 'server'), 'server'],
    ['a server fault without a status', Object.assign(new Error('x'), { name: 'Weird', $fault: 'server' }), 'server'],
    [
      'a wrapped transport error',
      Object.assign(new Error('deserialization failed'), { cause: transport('Error', { code: 'ECONNRESET' }) }),
      'network',
    ],
    ['a plain Error', new Error('boom'), 'unknown'],
    ['a non-error value', 'boom', 'unknown'],
    ['null', null, 'unknown'],
  ];
  it.each(cases)('classifies %s', (_label, error, kind) => {
    expect(classifyUpstreamError(error)).toBe(kind);
  });
});

describe('toGatewayError', () => {
  it('maps a missing resource to NotFoundError with the generic message', () => {
    const mapped = toGatewayError(modelled(ResourceNotFoundException, 404, `Image set of ${PATIENT_VALUE} not found`));
    expect(mapped).toBeInstanceOf(NotFoundError);
    expect(mapped.message).toBe(new NotFoundError().message);
  });

  it('maps a conflict to VersionConflictError carrying the current state when given', () => {
    const current = { latestVersionId: '3', state: 'LOCKED', workflowStatus: 'UPDATING' };
    const mapped = toGatewayError(modelled(ConflictException, 409), { current }) as VersionConflictError;
    expect(mapped).toBeInstanceOf(VersionConflictError);
    expect(mapped.extensions.current).toEqual(current);
  });

  it('maps a validation failure to BadUserInputError without the upstream message, naming only whitelisted parameters', () => {
    const upstream = modelled(
      ValidationException,
      400,
      `1 validation error detected: Value '${PATIENT_VALUE}' at 'copyImageSetInformation.sourceImageSet.latestVersionId' failed to satisfy constraint`,
    );
    const mapped = toGatewayError(upstream) as BadUserInputError;
    expect(mapped).toBeInstanceOf(BadUserInputError);
    expect(mapped.message).not.toContain(PATIENT_VALUE);
    expect(JSON.stringify(mapped.extensions)).not.toContain(PATIENT_VALUE);
    expect(mapped.extensions.parameters).toEqual(['copyImageSetInformation.sourceImageSet.latestVersionId']);
  });

  it('maps a quota error to BadUserInputError flagged SERVICE_QUOTA_EXCEEDED', () => {
    const mapped = toGatewayError(modelled(ServiceQuotaExceededException, 402)) as BadUserInputError;
    expect(mapped).toBeInstanceOf(BadUserInputError);
    expect(mapped.extensions.reason).toBe('SERVICE_QUOTA_EXCEEDED');
  });

  it('maps credential and permission failures to UpstreamUnavailableError, not FORBIDDEN', () => {
    for (const error of [modelled(AccessDeniedException, 403), unmodelled('UnrecognizedClientException', 403)]) {
      const mapped = toGatewayError(error);
      expect(mapped).toBeInstanceOf(UpstreamUnavailableError);
      expect(mapped.message).toMatch(/tenant/);
    }
  });

  it('maps throttling to ThrottledError with the retry hint rounded up to whole seconds', () => {
    const mapped = toGatewayError(modelled(ThrottlingException, 429), { retryAfterSeconds: 2.2 }) as ThrottledError;
    expect(mapped).toBeInstanceOf(ThrottledError);
    expect(mapped.extensions.retryAfterSeconds).toBe(3);
  });

  it.each([
    ['a 5xx', modelled(InternalServerException, 500)],
    ['a reset connection', transport('Error', { code: 'ECONNRESET' })],
    ['a refused connection', transport('Error', { code: 'ECONNREFUSED' })],
    ['a timeout', transport('TimeoutError')],
  ])('maps %s to UpstreamUnavailableError', (_label, error) => {
    expect(toGatewayError(error)).toBeInstanceOf(UpstreamUnavailableError);
  });

  it('turns an unknown failure into a plain Error naming only its code and status', () => {
    const upstream = unmodelled('SomethingNew', 418);
    upstream.message = `contains ${PATIENT_VALUE}`;
    const mapped = toGatewayError(upstream);
    expect(mapped.constructor).toBe(Error);
    expect(mapped.message).toContain('SomethingNew');
    expect(mapped.message).not.toContain(PATIENT_VALUE);
  });

  it('destroys an unread response body left on the error', () => {
    const body = Readable.from(['unread']);
    const error = Object.assign(modelled(InternalServerException, 500), { $response: { body } });
    toGatewayError(error);
    expect(body.destroyed).toBe(true);
  });
});

describe('safeParameterNames', () => {
  it('keeps only dotted paths made entirely of known member names', () => {
    expect(safeParameterNames("Value at 'imageSetId' and at 'Patient.PatientName' and 'latestVersion'")).toEqual([
      'imageSetId',
      'latestVersion',
    ]);
  });

  it('returns nothing for a non-string', () => {
    expect(safeParameterNames(undefined)).toEqual([]);
  });
});

describe('describeForLog', () => {
  it('names the error and status but never the message', () => {
    const error = modelled(ThrottlingException, 429, PATIENT_VALUE);
    expect(describeForLog(error)).toBe('ThrottlingException status 429');
  });

  it('does not echo a name that is not shaped like an error code', () => {
    expect(describeForLog(Object.assign(new Error('x'), { name: 'Jane Doe <1970>' }))).toBe('Error');
  });

  it('releases nothing when there is no response', () => {
    expect(() => discardResponseBody(new Error('x'))).not.toThrow();
  });
});
