import { definedFacts, knownOrLoad } from '../../../src/types/known-facts';
import { ImageSet } from '../../../src/types/image-set.type';

describe('knownOrLoad', () => {
  it('answers a known fact without loading, even when the fact is undefined', async () => {
    const load = jest.fn(async () => ({ state: 'ACTIVE', message: 'loaded' }));
    expect(
      await knownOrLoad<{ state?: string; message?: string }, 'message'>({ message: undefined }, 'message', load),
    ).toBeUndefined();
    expect(load).not.toHaveBeenCalled();
  });

  it('loads a fact that is not known', async () => {
    const load = jest.fn(async () => ({ state: 'ACTIVE' }));
    expect(await knownOrLoad<{ state?: string }, 'state'>({}, 'state', load)).toBe('ACTIVE');
    expect(load).toHaveBeenCalledTimes(1);
  });
});

describe('definedFacts', () => {
  it('keeps only defined values, so missing answers fall back to the loader', () => {
    expect(definedFacts<{ a: number; b: string; c: boolean }>({ a: 1, b: undefined, c: false })).toEqual({
      a: 1,
      c: false,
    });
  });
});

describe('ImageSet roots', () => {
  it('know from a search summary what the summary says, and nothing else', () => {
    const root = ImageSet.fromSummary({
      datastoreId: 'd'.repeat(32),
      imageSetId: 'i'.repeat(32),
      versionId: '4',
      createdAt: new Date(0),
      dicomTags: { patientId: 'P', seriesNumber: 2 },
    });
    expect(root.known).toEqual({ latestVersionId: '4', createdAt: new Date(0) });
    expect(root.dicomTags).toMatchObject({ patientId: 'P', seriesNumber: 2, studyId: null });
  });

  it('know every fact of a latest GetImageSet answer, including absent ones', () => {
    const root = ImageSet.fromLatestRecord({
      datastoreId: 'd'.repeat(32),
      imageSetId: 'i'.repeat(32),
      versionId: '3',
      state: 'ACTIVE',
      forced: false,
    });
    expect(Object.keys(root.known).sort()).toEqual(
      [
        'arn',
        'createdAt',
        'deletedAt',
        'forced',
        'isPrimary',
        'latestVersionId',
        'message',
        'state',
        'updatedAt',
        'workflowStatus',
      ].sort(),
    );
    expect(root.known.latestVersionId).toBe('3');
    expect(root.dicomTags).toBeNull();
  });
});
