import { ThrottledError } from '../errors/gateway-errors';
import type { Throttled } from './rate-limits';

const MESSAGES: Record<Throttled['reason'], string> = {
  credential_rate: 'This credential is sending requests faster than its rate limit',
  tenant_rate: "This tenant's requests exceed its rate limit",
  tenant_in_flight: 'This tenant has too many requests in progress',
};

/** The one error a throttled request answers (HTTP 429, with `Retry-After` set to the same seconds). */
export function throttledErrorOf(throttled: Throttled): ThrottledError {
  const { reason, retryAfterSeconds } = throttled;
  return new ThrottledError(retryAfterSeconds, `${MESSAGES[reason]}; retry after ${retryAfterSeconds} s.`);
}
