import { NotFoundError } from '../../errors/gateway-errors';
import type { DatastoreRecord } from '../../imaging/records';

/**
 * The tenant's data stores that exist upstream, in grant order. A granted id that HealthImaging
 * no longer knows is left out (the list describes what the caller can use); any other failure
 * fails the list, since leaving it out would hide an outage.
 */
export function existingDatastores(results: ReadonlyArray<DatastoreRecord | Error>): DatastoreRecord[] {
  const records: DatastoreRecord[] = [];
  for (const result of results) {
    if (result instanceof NotFoundError) continue;
    if (result instanceof Error) throw result;
    records.push(result);
  }
  return records;
}
