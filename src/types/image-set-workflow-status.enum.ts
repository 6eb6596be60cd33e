import { registerEnumType } from 'type-graphql';
import { isMember } from './enum-member';

/** Open upstream enum: see `image-set-state.enum.ts` for why UNKNOWN exists. */
export enum ImageSetWorkflowStatus {
  CREATED = 'CREATED',
  COPIED = 'COPIED',
  COPYING = 'COPYING',
  COPYING_WITH_READ_ONLY_ACCESS = 'COPYING_WITH_READ_ONLY_ACCESS',
  COPY_FAILED = 'COPY_FAILED',
  UPDATING = 'UPDATING',
  UPDATED = 'UPDATED',
  UPDATE_FAILED = 'UPDATE_FAILED',
  UPDATING_FOR_STUDY_CONSISTENCY = 'UPDATING_FOR_STUDY_CONSISTENCY',
  DELETING = 'DELETING',
  DELETED = 'DELETED',
  IMPORTING = 'IMPORTING',
  IMPORTED = 'IMPORTED',
  IMPORT_FAILED = 'IMPORT_FAILED',
  UNKNOWN = 'UNKNOWN',
}

registerEnumType(ImageSetWorkflowStatus, {
  name: 'ImageSetWorkflowStatus',
  description:
    'What happened, or is happening, to a version of an image set. `…ING` values mean an asynchronous write is still running; `…_FAILED` values come with a `message`.',
  valuesConfig: {
    CREATED: { description: 'The image set was created.' },
    COPIED: { description: 'A copy into (or out of) this image set finished.' },
    COPYING: { description: 'A copy into this image set is running.' },
    COPYING_WITH_READ_ONLY_ACCESS: {
      description: 'This image set is the source of a running copy: readable, not writable.',
    },
    COPY_FAILED: { description: 'A copy into this image set failed; see `message`.' },
    UPDATING: { description: 'A metadata update or revert is running.' },
    UPDATED: { description: 'A metadata update or revert finished.' },
    UPDATE_FAILED: { description: 'A metadata update or revert failed; see `message`.' },
    UPDATING_FOR_STUDY_CONSISTENCY: {
      description: 'An update applied to every primary image set of the study is running.',
    },
    DELETING: { description: 'A delete is running.' },
    DELETED: { description: 'The image set was deleted.' },
    IMPORTING: { description: 'A DICOM import into this image set is running.' },
    IMPORTED: { description: 'A DICOM import into this image set finished.' },
    IMPORT_FAILED: { description: 'A DICOM import into this image set failed; see `message`.' },
    UNKNOWN: { description: 'HealthImaging reported a status this gateway version does not know.' },
  },
});

export function toImageSetWorkflowStatus(raw: string | undefined): ImageSetWorkflowStatus | null {
  if (raw === undefined) return null;
  return isMember(ImageSetWorkflowStatus, raw) ? raw : ImageSetWorkflowStatus.UNKNOWN;
}
