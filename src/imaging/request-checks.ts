import { BadUserInputError } from '../errors/gateway-errors';

/**
 * The shape checks HealthImaging would make on resource ids and page sizes (version ids:
 * `version-ids.ts`), made before any call so that a
 * malformed value never costs an upstream round trip (and its upstream message, which may quote
 * the value, never needs mapping). Messages name the field, never the value.
 */

const RESOURCE_ID = /^[0-9a-z]{32}$/;
/** SearchImageSets and ListImageSetVersions take `maxResults` from 1 to 50. */
export const MAX_UPSTREAM_PAGE_SIZE = 50;

export function checkResourceId(value: string, field: string): void {
  if (!RESOURCE_ID.test(value)) {
    throw new BadUserInputError(`${field} must be 32 lowercase letters or digits.`, { invalidFields: [field] });
  }
}

export function checkPageSize(maxResults: number): void {
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_UPSTREAM_PAGE_SIZE) {
    throw new BadUserInputError(`maxResults must be an integer from 1 to ${MAX_UPSTREAM_PAGE_SIZE}.`, {
      invalidFields: ['maxResults'],
    });
  }
}
