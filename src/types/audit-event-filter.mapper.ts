import type { AuditFilter } from '../audit/audit-store';
import { BadUserInputError } from '../errors/gateway-errors';
import type { AuditEventFilterInput } from './audit-event-filter.input';

/** Longer than any id, code or name the trail stores: a longer value can match nothing. */
const MAX_FILTER_VALUE_LENGTH = 256;

const TEXT_FIELDS = ['action', 'operationName', 'outcome', 'subject', 'client', 'datastoreId', 'imageSetId'] as const;

/** The store's filter from the GraphQL input; errors name the field, never its value. */
export function toAuditFilter(input: AuditEventFilterInput | null | undefined): AuditFilter {
  const filter: AuditFilter = {};
  if (!input) return filter;
  for (const field of TEXT_FIELDS) {
    const value = input[field];
    if (value === null || value === undefined) continue;
    if (value.length === 0 || value.length > MAX_FILTER_VALUE_LENGTH) {
      throw new BadUserInputError(`filter.${field} must be 1 to ${MAX_FILTER_VALUE_LENGTH} characters.`, {
        invalidFields: [`filter.${field}`],
      });
    }
    filter[field] = value;
  }
  const range = input.occurredAt;
  if (range) {
    if (range.from.getTime() > range.to.getTime()) {
      throw new BadUserInputError('filter.occurredAt.from must not be after filter.occurredAt.to.', {
        invalidFields: ['filter.occurredAt'],
      });
    }
    filter.occurredFrom = range.from;
    filter.occurredTo = range.to;
  }
  return filter;
}
