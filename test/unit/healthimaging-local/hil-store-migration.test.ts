import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportWrites } from '../../../healthimaging-local/model/import-writes';
import { recoverOnStart } from '../../../healthimaging-local/model/start-up-recovery';
import { HilStore } from '../../../healthimaging-local/store/hil-store';
import { SCHEMA_VERSION } from '../../../healthimaging-local/store/schema';
import {
  CT_IMAGE_SET_ID,
  CT_SERIES_UID,
  DATASTORE_ID,
  MR_SERIES_UID,
  twoSeriesDoc,
} from './fixtures/metadata-documents';

describe('HilStore schema migration', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hil-migration-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('upgrades a schema 1 database in place and backfills every image set series list from its document', () => {
    const first = HilStore.open({ dataDir: dir });
    new ImportWrites({ store: first, now: Date.now }).createImageSet(
      DATASTORE_ID,
      CT_IMAGE_SET_ID,
      { ...twoSeriesDoc, ImageSetID: CT_IMAGE_SET_ID },
      true,
    );
    first.close();
    // Turn the file back into what schema 1 wrote: no series list column.
    const raw = new Database(join(dir, 'hil.sqlite'));
    raw.exec('ALTER TABLE image_sets DROP COLUMN series_uids');
    raw.pragma('user_version = 1');
    raw.close();

    const reopened = HilStore.open({ dataDir: dir });
    try {
      recoverOnStart({ store: reopened, now: Date.now });
      expect(reopened.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const row = reopened.imageSets.get(DATASTORE_ID, CT_IMAGE_SET_ID)!;
      expect(row.seriesInstanceUids).toEqual([CT_SERIES_UID, MR_SERIES_UID]);
      expect(row.seriesInstanceUid).toBe(CT_SERIES_UID);
    } finally {
      reopened.close();
    }
  });

  it('refuses a database written by a newer version', () => {
    HilStore.open({ dataDir: dir }).close();
    const raw = new Database(join(dir, 'hil.sqlite'));
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => HilStore.open({ dataDir: dir })).toThrow(/newer/);
  });
});
