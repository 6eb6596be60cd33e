import { DatastoreStatus, toDatastoreStatus } from '../../../src/types/datastore-status.enum';
import { ImageSetState, toImageSetState } from '../../../src/types/image-set-state.enum';
import { ImageSetWorkflowStatus, toImageSetWorkflowStatus } from '../../../src/types/image-set-workflow-status.enum';

describe('upstream enum mapping', () => {
  it('keeps known values', () => {
    expect(toImageSetState('LOCKED')).toBe(ImageSetState.LOCKED);
    expect(toImageSetWorkflowStatus('UPDATING_FOR_STUDY_CONSISTENCY')).toBe(
      ImageSetWorkflowStatus.UPDATING_FOR_STUDY_CONSISTENCY,
    );
    expect(toDatastoreStatus('ACTIVE')).toBe(DatastoreStatus.ACTIVE);
  });

  it('maps values HealthImaging may add later to UNKNOWN instead of failing', () => {
    expect(toImageSetState('ARCHIVED')).toBe(ImageSetState.UNKNOWN);
    expect(toImageSetWorkflowStatus('MIGRATING')).toBe(ImageSetWorkflowStatus.UNKNOWN);
    expect(toDatastoreStatus('SUSPENDED')).toBe(DatastoreStatus.UNKNOWN);
  });

  it('does not mistake object prototype names for members', () => {
    expect(toImageSetState('toString')).toBe(ImageSetState.UNKNOWN);
    expect(toImageSetWorkflowStatus('constructor')).toBe(ImageSetWorkflowStatus.UNKNOWN);
  });

  it('maps a missing state to UNKNOWN and a missing workflow status to null', () => {
    expect(toImageSetState(undefined)).toBe(ImageSetState.UNKNOWN);
    expect(toImageSetWorkflowStatus(undefined)).toBeNull();
  });
});
