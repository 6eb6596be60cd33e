import type { Connection } from '../../types/connection';
import { DicomInstance } from '../../types/dicom-instance.type';
import type { DicomSeries } from '../../types/dicom-series.type';
import { orderedInstanceUids } from '../../types/metadata-document.view';
import { toConnection } from './connection-builder';
import { offsetCursorCodec } from './cursors';
import { readOffsetSlice } from './offset-pager';
import { pageSize } from './page-size';
import type { RequestScope } from '../request/request-scope';

/** Instance cursors belong to one series of one version: documents of a version never change. */
export function instancesCursorParent(series: DicomSeries): string {
  const { datastoreId, imageSetId, versionId } = series.key;
  return `DicomInstances/${datastoreId}/${imageSetId}/${versionId}/${series.seriesInstanceUid}`;
}

export function listDicomInstances(
  scope: RequestScope,
  series: DicomSeries,
  args: { first?: number | null; after?: string | null },
): Connection<DicomInstance> {
  const first = pageSize(args.first);
  const cursors = offsetCursorCodec(scope, instancesCursorParent(series));
  const slice = readOffsetSlice(orderedInstanceUids(series.entry), first, cursors.decode(args.after));
  // The uids come from the same map, so each has its entry.
  return toConnection(
    slice,
    cursors.encode,
    (uid) => new DicomInstance(series.key, uid, series.entry.Instances[uid] ?? { DICOM: {} }, series.phi),
  );
}
