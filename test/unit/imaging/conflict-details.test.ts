import { conflictDetails } from '../../../src/imaging/writes/conflict-details';
import type { ImageSetRecord } from '../../../src/imaging/records';

const ds = 'a'.repeat(32);
const source = 'b'.repeat(32);
const destination = 'c'.repeat(32);

const record = (imageSetId: string, versionId: string, state = 'ACTIVE', workflowStatus?: string): ImageSetRecord => ({
  datastoreId: ds,
  imageSetId,
  versionId,
  state,
  forced: false,
  ...(workflowStatus ? { workflowStatus } : {}),
});

describe('conflictDetails', () => {
  const copySides = [
    { imageSetId: source, expectedVersionId: '3' },
    { imageSetId: destination, expectedVersionId: '1' },
  ];

  it('names the side of a copy whose latest version moved', () => {
    expect(conflictDetails(copySides, [record(source, '3'), record(destination, '2', 'ACTIVE', 'UPDATED')])).toEqual({
      imageSetId: destination,
      latestVersionId: '2',
      state: 'ACTIVE',
      workflowStatus: 'UPDATED',
    });
    expect(conflictDetails(copySides, [record(source, '4'), record(destination, '2')])?.imageSetId).toBe(source);
  });

  it('names the busy side when no version moved', () => {
    expect(
      conflictDetails(copySides, [record(source, '3'), record(destination, '1', 'LOCKED', 'UPDATING')]),
    ).toMatchObject({
      imageSetId: destination,
      state: 'LOCKED',
    });
  });

  it('falls back to the first side that could be read, and to nothing when none could', () => {
    expect(conflictDetails(copySides, [undefined, record(destination, '1')])?.imageSetId).toBe(destination);
    expect(conflictDetails([{ imageSetId: source }], [record(source, '7')])).toEqual({
      imageSetId: source,
      latestVersionId: '7',
      state: 'ACTIVE',
    });
    expect(conflictDetails(copySides, [undefined, undefined])).toBeUndefined();
  });
});
