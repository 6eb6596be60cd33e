/**
 * The attribute names the gateway's spans carry. Stable semantic conventions come from the
 * package; incubating ones are copied here, as the package advises, so a release that renames them
 * does not rename ours silently. Every value is an id, a code, a count or a status: never a
 * variable, a document, an error message or a DICOM value.
 */
export {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVICE_NAME,
} from '@opentelemetry/semantic-conventions';

export const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
export const ATTR_GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';
export const ATTR_RPC_SYSTEM = 'rpc.system';
export const ATTR_RPC_SERVICE = 'rpc.service';
export const ATTR_RPC_METHOD = 'rpc.method';
export const ATTR_AWS_REQUEST_ID = 'aws.request_id';

/** The gateway's own: the caller's tenant, the request's outcome code, the call's attempt number. */
export const ATTR_TENANT_ID = 'gateway.tenant.id';
export const ATTR_OUTCOME_CODE = 'gateway.outcome.code';
export const ATTR_REQUEST_ID = 'gateway.request.id';
export const ATTR_UPSTREAM_ATTEMPT = 'gateway.upstream.attempt';
export const ATTR_UPSTREAM_RECONCILING = 'gateway.upstream.reconciling';

/** Client-chosen names become span names and attributes only with an identifier's shape. */
const IDENTIFIER = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

export function identifierOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && IDENTIFIER.test(value) ? value : undefined;
}
