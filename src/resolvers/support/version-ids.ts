import { BadUserInputError } from '../../errors/gateway-errors';

const VERSION_ID = /^[1-9]\d{0,15}$/;

/** The version before `versionId` ("3" -> "2"); undefined for the first version. */
export function previousVersionId(versionId: string): string | undefined {
  if (!VERSION_ID.test(versionId)) throw new BadUserInputError('versionId must be a positive decimal number.', { invalidFields: ['versionId'] });
  const previous = BigInt(versionId) - 1n;
  return previous >= 1n ? previous.toString() : undefined;
}

export function checkVersionIdArgument(name: string, versionId: string): string {
  if (!VERSION_ID.test(versionId)) {
    throw new BadUserInputError(`${name} must be a version id: a positive decimal number such as "1".`, { invalidFields: [name] });
  }
  return versionId;
}
