/** A data store as the service describes it (docs/healthimaging-behaviour.md#data-stores). */
export type DatastoreStatus = 'CREATING' | 'CREATE_FAILED' | 'ACTIVE' | 'DELETING' | 'DELETED';

export const DATASTORE_STATUSES: readonly DatastoreStatus[] = [
  'CREATING',
  'CREATE_FAILED',
  'ACTIVE',
  'DELETING',
  'DELETED',
];

export interface DatastoreRecord {
  datastoreId: string;
  datastoreName: string;
  datastoreStatus: DatastoreStatus;
  kmsKeyArn: string | null;
  lambdaAuthorizerArn: string | null;
  losslessStorageFormat: string;
  createdAt: number;
  updatedAt: number;
  /** When CREATING or DELETING ends; null once the data store is settled. */
  transitionDueAt: number | null;
}
