import type { ImageSetRecord, ImageSetVersionRecord } from '../../../src/imaging/records';
import {
  COPY_WORKFLOW_STATUSES,
  UPDATE_WORKFLOW_STATUSES,
  findWrittenVersion,
  pickNewCopyDestination,
} from '../../../src/imaging/writes/written-version-evidence';

const ds = 'a'.repeat(32);
const source = 'b'.repeat(32);
const startedAt = new Date('2025-01-01T12:00:00Z');
const window = { startedAt, clockSkewMs: 5000 };
const at = (offsetMs: number) => new Date(startedAt.getTime() + offsetMs);

function version(
  versionId: string,
  workflowStatus: string,
  updatedAt: Date | undefined,
  imageSetId = source,
): ImageSetRecord {
  return {
    datastoreId: ds,
    imageSetId,
    versionId,
    state: 'LOCKED',
    workflowStatus,
    forced: false,
    ...(updatedAt ? { updatedAt } : {}),
  };
}

describe('findWrittenVersion', () => {
  const expected = { previousVersionId: '3', statuses: UPDATE_WORKFLOW_STATUSES };

  it('accepts the next version with an update status written after the call started', () => {
    const latest = version('4', 'UPDATING', at(200));
    expect(findWrittenVersion({ latest, versions: [] }, expected, window)).toBe(latest);
  });

  it('finds the version in the history when another write followed it', () => {
    const latest = version('5', 'UPDATED', at(900));
    const ours: ImageSetVersionRecord = version('4', 'UPDATE_FAILED', at(300));
    expect(findWrittenVersion({ latest, versions: [latest, ours] }, expected, window)).toBe(ours);
  });

  it('tolerates upstream clocks slightly behind ours', () => {
    const latest = version('4', 'UPDATED', at(-4000));
    expect(findWrittenVersion({ latest, versions: [] }, expected, window)).toBe(latest);
  });

  it('rejects a version written before the call started (the caller sent a stale version)', () => {
    const latest = version('4', 'UPDATED', at(-60_000));
    expect(findWrittenVersion({ latest, versions: [] }, expected, window)).toBeUndefined();
  });

  it('rejects a version from another kind of write', () => {
    const latest = version('4', 'COPYING', at(100));
    expect(findWrittenVersion({ latest, versions: [] }, expected, window)).toBeUndefined();
  });

  it('rejects a version without timestamps, which proves nothing', () => {
    expect(
      findWrittenVersion({ latest: version('4', 'UPDATED', undefined), versions: [] }, expected, window),
    ).toBeUndefined();
  });

  it('finds nothing when the latest version did not move', () => {
    expect(
      findWrittenVersion({ latest: version('3', 'UPDATED', at(-100_000)), versions: [] }, expected, window),
    ).toBeUndefined();
  });
});

describe('pickNewCopyDestination', () => {
  const candidate = (id: string, overrides: Partial<ImageSetRecord> = {}): ImageSetRecord => ({
    ...version('1', 'COPYING', undefined, id),
    createdAt: at(100),
    isPrimary: false,
    ...overrides,
  });
  const expected = { sourceImageSetId: source, promoteToPrimary: false };

  it('accepts the single fresh non-primary copy', () => {
    const ours = candidate('c'.repeat(32));
    expect(pickNewCopyDestination([ours], expected, window)).toBe(ours);
  });

  it('ignores image sets that cannot be the copy', () => {
    const ours = candidate('c'.repeat(32));
    const others = [
      candidate(source),
      candidate('d'.repeat(32), { createdAt: at(-60_000) }),
      candidate('e'.repeat(32), { workflowStatus: 'IMPORTED' }),
      candidate('f'.repeat(32), { isPrimary: true }),
      candidate('0'.repeat(32), { versionId: '2' }),
    ];
    expect(pickNewCopyDestination([...others, ours], expected, window)).toBe(ours);
  });

  it('never takes the destination of a copy it already answered', () => {
    const earlier = candidate('c'.repeat(32));
    const answered = (imageSetId: string): boolean => imageSetId === earlier.imageSetId;
    expect(pickNewCopyDestination([earlier], { ...expected, answered }, window)).toBeUndefined();
    const ours = candidate('d'.repeat(32));
    expect(pickNewCopyDestination([earlier, ours], { ...expected, answered }, window)).toBe(ours);
  });

  it('proves nothing when two fresh copies match', () => {
    expect(
      pickNewCopyDestination([candidate('c'.repeat(32)), candidate('d'.repeat(32))], expected, window),
    ).toBeUndefined();
  });

  it('expects a primary image set when promotion was asked', () => {
    const promoted = candidate('c'.repeat(32), { isPrimary: true, workflowStatus: COPY_WORKFLOW_STATUSES[1] });
    expect(pickNewCopyDestination([promoted], { ...expected, promoteToPrimary: true }, window)).toBe(promoted);
    expect(pickNewCopyDestination([promoted], expected, window)).toBeUndefined();
  });
});
