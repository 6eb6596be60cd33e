import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HilStore } from '../../../healthimaging-local/store/hil-store';
import { pollUntil } from '../../support/hil-wait';
import { DATASTORE_ID } from './fixtures/metadata-documents';

describe('HilStore WAL checkpoints', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hil-checkpoint-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const frames = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: `frame${i}`,
      contentType: 'application/octet-stream',
      bytes: randomBytes(64 * 1024),
    }));

  it('copies committed frames into the database file from a worker, never from a commit on the main thread', async () => {
    const store = HilStore.open({ dataDir: dir });
    try {
      expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      const before = statSync(join(dir, 'hil.sqlite')).size;
      // 2 MB, only in the WAL once committed
      store.tx(() => {
        for (const f of frames(32)) store.imageSets.putFrame(DATASTORE_ID, f.id, f.contentType, f.bytes);
      });
      await pollUntil('the checkpoint worker to copy the frames back', async () =>
        statSync(join(dir, 'hil.sqlite')).size >= before + 2 * 1024 * 1024 ? true : undefined,
      );
    } finally {
      store.close();
    }
  });
});
