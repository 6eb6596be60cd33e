import { newResourceId } from '../shapes/ids';
import type { PreparedInstance } from './build-document';
import { documentSignature } from './grouping-keys';
import type { PrimaryImageSet } from './import-target';
import type { ImportWarning } from './import-warnings';

/**
 * Where the instances of an import go (reference sections 4.1 and 4.5), decided against the store
 * as it is at the moment of writing: per series, the files whose grouping keys agree with the
 * series' primary image set are added to it as its next version (or, without a primary, the first
 * group seen becomes the new primary); every other group becomes a non-primary image set.
 * A group bound for a primary image set that is LOCKED is blocked: it must wait, or fail.
 */
export interface ImportedFile {
  inputFile: string;
  warnings: ImportWarning[];
  frameIds: string[];
}

/** Files of one series whose grouping keys agree: they land in one image set together. */
export interface InstanceGroup {
  instances: PreparedInstance[];
  files: ImportedFile[];
}

export interface SeriesBucket {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  /** By grouping signature, in the order the job first met each signature. */
  groups: Map<string, InstanceGroup>;
}

export type PlannedWrite =
  | { kind: 'create'; imageSetId: string; isPrimary: boolean; group: InstanceGroup }
  | { kind: 'append'; primary: PrimaryImageSet; version: number; group: InstanceGroup };

export interface ImportPlan {
  writes: PlannedWrite[];
  /** Groups whose primary image set is LOCKED. */
  blocked: Array<{ imageSetId: string; group: InstanceGroup }>;
}

export type FindPrimary = (studyInstanceUid: string, seriesInstanceUid: string) => PrimaryImageSet | undefined;

export function planImport(buckets: Iterable<SeriesBucket>, findPrimary: FindPrimary): ImportPlan {
  const plan: ImportPlan = { writes: [], blocked: [] };
  for (const bucket of buckets) {
    const primary = findPrimary(bucket.studyInstanceUid, bucket.seriesInstanceUid);
    const primarySignature = primary
      ? documentSignature(primary.document, bucket.seriesInstanceUid)
      : bucket.groups.keys().next().value;
    for (const [signature, group] of bucket.groups) {
      if (signature !== primarySignature) {
        plan.writes.push({ kind: 'create', imageSetId: newResourceId(), isPrimary: false, group });
      } else if (!primary) {
        plan.writes.push({ kind: 'create', imageSetId: newResourceId(), isPrimary: true, group });
      } else if (primary.locked) {
        plan.blocked.push({ imageSetId: primary.imageSetId, group });
      } else {
        plan.writes.push({ kind: 'append', primary, version: primary.latestVersion + 1, group });
      }
    }
  }
  return plan;
}
