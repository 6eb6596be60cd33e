import { BadUserInputError } from '../../../src/errors/gateway-errors';
import { checkVersionId, isVersionId, nextVersionId, previousVersionId } from '../../../src/imaging/version-ids';

describe('version ids', () => {
  it('accepts canonical positive decimal strings only', () => {
    expect(['1', '10', '9'.repeat(19)].map(isVersionId)).toEqual([true, true, true]);
    expect(['0', '01', '+1', '-1', '1.0', 'v2', '', '1'.repeat(20), 'Doe^John'].map(isVersionId)).toEqual(
      Array(9).fill(false),
    );
  });

  it('names the field, never the value, when refusing one', () => {
    let thrown: unknown;
    try {
      checkVersionId('Doe^John', 'from');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BadUserInputError);
    expect((thrown as BadUserInputError).message).toBe(
      'from must be a version id: a positive decimal number such as "1".',
    );
    expect((thrown as BadUserInputError).extensions.invalidFields).toEqual(['from']);
  });

  it('counts one version forward and back, beyond the float range, with nothing before version 1', () => {
    expect(nextVersionId('9007199254740993')).toBe('9007199254740994');
    expect(previousVersionId('9007199254740994')).toBe('9007199254740993');
    expect(previousVersionId('10')).toBe('9');
    expect(previousVersionId('1')).toBeUndefined();
  });
});
