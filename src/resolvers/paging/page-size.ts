import { BadUserInputError } from '../../errors/gateway-errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../types/pagination.args';

/** `first` as the page size: 1 to 50, default 20 (HealthImaging's own bounds). */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`first must be from 1 to ${MAX_PAGE_SIZE}.`, { invalidFields: ['first'] });
  }
  return first;
}
