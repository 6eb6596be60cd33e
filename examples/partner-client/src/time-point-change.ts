import type { ChangeFunction } from './optimistic-update';

/** The DICOM keyword the example change writes: Longitudinal Temporal Event Type (0012,0053). */
export const TIME_POINT_KEYWORD = 'LongitudinalTemporalEventType';

/**
 * The kit's example change: a clinical-trial partner marks the study as the trial's BASELINE (or
 * ENROLLMENT) time point, a Study-level attribute of the Clinical Trial Study module. It is not
 * patient-identifying, so a key without `phi:read` may write it (the gateway refuses such a key
 * any change to one that is), and HealthImaging lets Study-level attributes of a primary image
 * set change (not its Patient- or Series-level ones). Derived from the version just read each
 * time: a study that already carries the value needs no write at all.
 */
export function timePointChange(eventType: string): ChangeFunction {
  return (current) => {
    if (current.metadata?.study?.dicom[TIME_POINT_KEYWORD] === eventType) return undefined;
    return { updates: { study: { [TIME_POINT_KEYWORD]: eventType } } };
  };
}
