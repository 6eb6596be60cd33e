import { toImageSetRecord, toSearchSummaryRecord, toVersionRecord } from '../../../src/imaging/upstream/to-records';

const ds = 'a'.repeat(32);
const ctSet = 'b'.repeat(32);

describe('record mappers', () => {
  it('normalise the capitalised workflow status of version list items', () => {
    const record = toVersionRecord(ds, {
      imageSetId: ctSet,
      versionId: '2',
      imageSetState: 'ACTIVE',
      ImageSetWorkflowStatus: 'UPDATED',
      overrides: { forced: true },
    });
    expect(record).toEqual({
      datastoreId: ds,
      imageSetId: ctSet,
      versionId: '2',
      state: 'ACTIVE',
      workflowStatus: 'UPDATED',
      forced: true,
    });
  });

  it('read forced as false when overrides are absent and set latestVersionId only for latest reads', () => {
    const output = {
      datastoreId: ds,
      imageSetId: ctSet,
      versionId: '3',
      imageSetState: 'ACTIVE' as const,
      imageSetWorkflowStatus: 'CREATED' as const,
    };
    expect(toImageSetRecord(output, true)).toMatchObject({
      forced: false,
      latestVersionId: '3',
      workflowStatus: 'CREATED',
    });
    expect(toImageSetRecord(output, false)).not.toHaveProperty('latestVersionId');
  });

  it('turn the search summary integer version into a decimal string', () => {
    const record = toSearchSummaryRecord(ds, { imageSetId: ctSet, version: 4, DICOMTags: { DICOMSeriesNumber: 2 } });
    expect(record.versionId).toBe('4');
    expect(record.dicomTags).toEqual({ seriesNumber: 2 });
  });

  it('refuse an output that lacks a required member', () => {
    expect(() =>
      toImageSetRecord({ datastoreId: ds, imageSetId: ctSet, versionId: undefined, imageSetState: 'ACTIVE' }, true),
    ).toThrow(/versionId/);
  });
});
