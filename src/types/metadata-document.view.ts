import type { MetadataDocument } from '../imaging/records';
import { dicomInt } from './dicom-values.mapper';

export type SeriesEntry = MetadataDocument['Study']['Series'][string];
export type InstanceEntry = SeriesEntry['Instances'][string];

export interface FrameView {
  id: string;
  width: number | null;
  height: number | null;
  sizeInBytes: number | null;
}

/**
 * The order of each series' instances, kept with the decoded document it was derived from: a
 * document the replica's metadata cache shares between requests is sorted once, not per request
 * (the sort was a fifth of a 2,000-instance detail query's CPU). Weakly held, so it goes with the
 * document.
 */
const instanceOrders = new WeakMap<SeriesEntry, readonly string[]>();

/**
 * Instances in a stable, meaningful order: Instance Number ascending (missing numbers last), then
 * SOP Instance UID. Offset cursors over this order stay valid for the same version, because a
 * version's document never changes. The array is shared: never modify it.
 */
export function orderedInstanceUids(series: SeriesEntry): readonly string[] {
  let order = instanceOrders.get(series);
  if (!order) {
    order = Object.freeze(
      orderByNumberThenUid(
        Object.entries(series.Instances ?? {}).map(([uid, instance]) => ({
          uid,
          number: dicomInt(instance.DICOM?.InstanceNumber),
        })),
      ),
    );
    instanceOrders.set(series, order);
  }
  return order;
}

/** Frames in stored order; size from the full-resolution (widest) checksum entry, else Columns/Rows. */
export function frameViews(instance: InstanceEntry): FrameView[] {
  const columns = dicomInt(instance.DICOM?.Columns);
  const rows = dicomInt(instance.DICOM?.Rows);
  return (instance.ImageFrames ?? []).map((frame) => {
    const levels = frame.PixelDataChecksumFromBaseToFullResolution ?? [];
    const full = levels.reduce<(typeof levels)[number] | undefined>(
      (widest, level) => (widest === undefined || level.Width > widest.Width ? level : widest),
      undefined,
    );
    return {
      id: frame.ID,
      width: full ? dicomInt(full.Width) : columns,
      height: full ? dicomInt(full.Height) : rows,
      sizeInBytes: dicomInt(frame.FrameSizeInBytes),
    };
  });
}

/** Series in a stable order: Series Number ascending (missing last), then Series Instance UID. */
export function orderedSeriesUids(document: MetadataDocument): string[] {
  return orderByNumberThenUid(
    Object.entries(document.Study?.Series ?? {}).map(([uid, series]) => ({
      uid,
      number: dicomInt(series.DICOM?.SeriesNumber),
    })),
  );
}

function orderByNumberThenUid(entries: Array<{ uid: string; number: number | null }>): string[] {
  entries.sort((a, b) => {
    if (a.number !== b.number) {
      if (a.number === null) return 1;
      if (b.number === null) return -1;
      return a.number - b.number;
    }
    return a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
  });
  return entries.map((entry) => entry.uid);
}
