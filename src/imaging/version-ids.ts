import { BadUserInputError } from '../errors/gateway-errors';

/**
 * Image set version ids: decimal strings ("1", "2", …) that HealthImaging counts up from 1. Only
 * the canonical spelling is accepted (no sign, no leading zero), so one version has one id and
 * one cache key; 19 digits bound the length well beyond any real counter.
 */
const VERSION_ID = /^[1-9]\d{0,18}$/;

export function isVersionId(value: string): boolean {
  return VERSION_ID.test(value);
}

/** Throws BAD_USER_INPUT naming `field` (never the value) unless `value` is a version id. */
export function checkVersionId(value: string, field: string): string {
  if (!isVersionId(value)) {
    throw new BadUserInputError(`${field} must be a version id: a positive decimal number such as "1".`, {
      invalidFields: [field],
    });
  }
  return value;
}

/** The version a write on top of `versionId` creates ("3" -> "4"). */
export function nextVersionId(versionId: string): string {
  return (BigInt(checkVersionId(versionId, 'versionId')) + 1n).toString();
}

/** The version before `versionId` ("3" -> "2"); undefined for the first version. */
export function previousVersionId(versionId: string): string | undefined {
  const previous = BigInt(checkVersionId(versionId, 'versionId')) - 1n;
  return previous >= 1n ? previous.toString() : undefined;
}
