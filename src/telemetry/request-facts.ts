import { addLogContext } from '../logging/log-context';
import { identifierOrUndefined } from './span-attributes';
import { currentRequestSpan } from './request-span';

/**
 * What the request path learns about a request as it goes, told once to both of its observers:
 * the log context (every later line of the request carries it) and the request span.
 */

/** Who is calling: known once the credentials are checked. */
export function noteRequestCaller(caller: { tenantId: string; subject: string }): void {
  addLogContext({ tenantId: caller.tenantId, subject: caller.subject });
  currentRequestSpan()?.tenant(caller.tenantId);
}

/** What runs: known once the gate has parsed the document and picked its operation. */
export function noteRequestOperation(operation: {
  operationName?: string | null | undefined;
  operationType?: string | undefined;
}): void {
  const operationName = identifierOrUndefined(operation.operationName);
  addLogContext({ operationName, operationType: operation.operationType });
  currentRequestSpan()?.operation(operationName, operation.operationType);
}
