import { registerEnumType } from 'type-graphql';
import { isMember } from './enum-member';

/** Open upstream enum: see `image-set-state.enum.ts` for why UNKNOWN exists. */
export enum DatastoreStatus {
  CREATING = 'CREATING',
  CREATE_FAILED = 'CREATE_FAILED',
  ACTIVE = 'ACTIVE',
  DELETING = 'DELETING',
  DELETED = 'DELETED',
  UNKNOWN = 'UNKNOWN',
}

registerEnumType(DatastoreStatus, {
  name: 'DatastoreStatus',
  description: 'Lifecycle status of a data store.',
  valuesConfig: {
    CREATING: { description: 'The data store is being created.' },
    CREATE_FAILED: { description: 'Creating the data store failed.' },
    ACTIVE: { description: 'The data store is ready for imports and reads.' },
    DELETING: { description: 'The data store is being deleted.' },
    DELETED: { description: 'The data store was deleted.' },
    UNKNOWN: { description: 'HealthImaging reported a status this gateway version does not know.' },
  },
});

export function toDatastoreStatus(raw: string | undefined): DatastoreStatus {
  return raw !== undefined && isMember(DatastoreStatus, raw) ? raw : DatastoreStatus.UNKNOWN;
}
