/**
 * Reading typed values out of a HealthImaging metadata document, as a team would write it for
 * its own endpoint: trailing DICOM padding trimmed, multi-values joined with `\`, person names
 * from their Alphabetic group, integers only when they are integers.
 */
export function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const trimmed = value.replace(/[\s\0]+$/, '');
    return trimmed === '' ? null : trimmed;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(text).filter((part): part is string => part !== null);
    return parts.length === 0 ? null : parts.join('\\');
  }
  if (typeof value === 'object' && typeof (value as { Alphabetic?: unknown }).Alphabetic === 'string') {
    return text((value as { Alphabetic: string }).Alphabetic);
  }
  return null;
}

export function int(value: unknown): number | null {
  if (Array.isArray(value)) return value.length === 0 ? null : int(value[0]);
  let parsed: number;
  if (typeof value === 'number') parsed = value;
  else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value.replace(/\0+$/, '')))
    parsed = Number.parseInt(value, 10);
  else return null;
  return Number.isInteger(parsed) && parsed >= -2147483648 && parsed <= 2147483647 ? parsed : null;
}

type Attributes = Record<string, unknown>;

export interface InstanceJson {
  DICOM?: Attributes;
  ImageFrames?: Array<{
    ID: string;
    PixelDataChecksumFromBaseToFullResolution?: Array<{ Width: number; Height: number }>;
  }>;
}

export interface SeriesJson {
  DICOM?: Attributes;
  Instances?: Record<string, InstanceJson>;
}

export interface MetadataJson {
  Patient?: { DICOM?: Attributes };
  Study?: { DICOM?: Attributes; Series?: Record<string, SeriesJson> };
}

/** Entries ordered by a number attribute (missing last), then by UID: the order viewers expect. */
export function byNumberThenUid<T>(
  entries: Record<string, T>,
  numberOf: (entry: T) => number | null,
): Array<[uid: string, entry: T]> {
  return Object.entries(entries)
    .map(([uid, entry]) => ({ uid, entry, number: numberOf(entry) }))
    .sort((a, b) => {
      if (a.number !== b.number) {
        if (a.number === null) return 1;
        if (b.number === null) return -1;
        return a.number - b.number;
      }
      return a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
    })
    .map(({ uid, entry }) => [uid, entry]);
}

/** Frame size at full resolution (the widest checksum level), else the instance's Columns/Rows. */
export function frames(instance: InstanceJson): Array<{ id: string; width: number | null; height: number | null }> {
  const columns = int(instance.DICOM?.Columns);
  const rows = int(instance.DICOM?.Rows);
  return (instance.ImageFrames ?? []).map((frame) => {
    const levels = frame.PixelDataChecksumFromBaseToFullResolution ?? [];
    let full: { Width: number; Height: number } | undefined;
    for (const level of levels) if (!full || level.Width > full.Width) full = level;
    return { id: frame.ID, width: full ? int(full.Width) : columns, height: full ? int(full.Height) : rows };
  });
}
