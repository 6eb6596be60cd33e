import { isDeepStrictEqual } from 'node:util';
import type { MetadataDocument } from './records';

export type MetadataChangeLevel = 'PATIENT' | 'STUDY' | 'SERIES' | 'INSTANCE';

/**
 * Attribute changes carry a keyword; structural changes (a series or an instance appearing or
 * disappearing) carry an empty keyword and no values: their attributes are not listed one by one.
 */
export type MetadataChangeKind =
  'ADDED' | 'REMOVED' | 'CHANGED' | 'SERIES_ADDED' | 'SERIES_REMOVED' | 'INSTANCE_ADDED' | 'INSTANCE_REMOVED';

export interface MetadataChange {
  level: MetadataChangeLevel;
  seriesInstanceUid?: string;
  sopInstanceUid?: string;
  /** The DICOM keyword (or 8-hex tag); empty for SERIES_* and INSTANCE_* changes. */
  keyword: string;
  kind: MetadataChangeKind;
  before?: unknown;
  after?: unknown;
}

type Attributes = Record<string, unknown>;
type SeriesMap = MetadataDocument['Study']['Series'];

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function attributeChanges(
  before: Attributes | undefined,
  after: Attributes | undefined,
  where: Pick<MetadataChange, 'level' | 'seriesInstanceUid' | 'sopInstanceUid'>,
): MetadataChange[] {
  const from = before ?? {};
  const to = after ?? {};
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort(byKey);
  const changes: MetadataChange[] = [];
  for (const keyword of keys) {
    const had = Object.prototype.hasOwnProperty.call(from, keyword);
    const has = Object.prototype.hasOwnProperty.call(to, keyword);
    if (had && !has) changes.push({ ...where, keyword, kind: 'REMOVED', before: from[keyword] });
    else if (!had && has) changes.push({ ...where, keyword, kind: 'ADDED', after: to[keyword] });
    else if (!isDeepStrictEqual(from[keyword], to[keyword])) {
      changes.push({ ...where, keyword, kind: 'CHANGED', before: from[keyword], after: to[keyword] });
    }
  }
  return changes;
}

function seriesChanges(from: SeriesMap, to: SeriesMap): MetadataChange[] {
  const changes: MetadataChange[] = [];
  const uids = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort(byKey);
  for (const seriesInstanceUid of uids) {
    const before = from[seriesInstanceUid];
    const after = to[seriesInstanceUid];
    if (before && !after) {
      changes.push({ level: 'SERIES', seriesInstanceUid, keyword: '', kind: 'SERIES_REMOVED' });
      continue;
    }
    if (!before && after) {
      changes.push({ level: 'SERIES', seriesInstanceUid, keyword: '', kind: 'SERIES_ADDED' });
      continue;
    }
    if (!before || !after) continue;
    changes.push(...attributeChanges(before.DICOM, after.DICOM, { level: 'SERIES', seriesInstanceUid }));
    const beforeInstances = before.Instances ?? {};
    const afterInstances = after.Instances ?? {};
    const sops = [...new Set([...Object.keys(beforeInstances), ...Object.keys(afterInstances)])].sort(byKey);
    for (const sopInstanceUid of sops) {
      const oldInstance = beforeInstances[sopInstanceUid];
      const newInstance = afterInstances[sopInstanceUid];
      const where = { level: 'INSTANCE' as const, seriesInstanceUid, sopInstanceUid };
      if (oldInstance && !newInstance) changes.push({ ...where, keyword: '', kind: 'INSTANCE_REMOVED' });
      else if (!oldInstance && newInstance) changes.push({ ...where, keyword: '', kind: 'INSTANCE_ADDED' });
      else if (oldInstance && newInstance)
        changes.push(...attributeChanges(oldInstance.DICOM, newInstance.DICOM, where));
    }
  }
  return changes;
}

/**
 * What changed in the DICOM attributes between two versions of an image set's metadata, level by
 * level, in a stable order (patient, study, then series and instances by UID, keywords sorted).
 * Only `DICOM` maps are compared: frame descriptors, checksums and VR maps are storage details.
 * The result holds DICOM values; it is for authorised callers, never for logs or error messages.
 */
export function diffMetadata(from: MetadataDocument, to: MetadataDocument): MetadataChange[] {
  return [
    ...attributeChanges(from.Patient?.DICOM, to.Patient?.DICOM, { level: 'PATIENT' }),
    ...attributeChanges(from.Study?.DICOM, to.Study?.DICOM, { level: 'STUDY' }),
    ...seriesChanges(from.Study?.Series ?? {}, to.Study?.Series ?? {}),
  ];
}
