import type { Db } from './database';
import type { ImageSetRecord, ImageSetState, VersionRecord, WorkflowStatus } from '../shapes/image-set-state';

interface ImageSetRow {
  datastore_id: string;
  id: string;
  is_primary: number;
  study_uid: string | null;
  series_uid: string | null;
  latest_version: number;
  state: ImageSetState;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  summary: string;
  series_uids: string | null;
}

interface VersionRow {
  datastore_id: string;
  image_set_id: string;
  version: number;
  state: ImageSetState;
  workflow_status: WorkflowStatus;
  message: string | null;
  forced: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

const toImageSet = (r: ImageSetRow): ImageSetRecord => ({
  datastoreId: r.datastore_id,
  imageSetId: r.id,
  isPrimary: r.is_primary === 1,
  studyInstanceUid: r.study_uid,
  seriesInstanceUid: r.series_uid,
  latestVersion: r.latest_version,
  state: r.state,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  deletedAt: r.deleted_at,
  summary: r.summary,
  seriesInstanceUids: r.series_uids === null ? [] : (JSON.parse(r.series_uids) as string[]),
});

const toVersion = (r: VersionRow): VersionRecord => ({
  datastoreId: r.datastore_id,
  imageSetId: r.image_set_id,
  version: r.version,
  state: r.state,
  workflowStatus: r.workflow_status,
  message: r.message,
  forced: r.forced === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  deletedAt: r.deleted_at,
});

const VERSION_COLUMNS =
  'datastore_id, image_set_id, version, state, workflow_status, message, forced, created_at, updated_at, deleted_at';

export interface NewImageSet {
  datastoreId: string;
  imageSetId: string;
  isPrimary: boolean;
  studyInstanceUid: string | null;
  seriesInstanceUid: string | null;
  state: ImageSetState;
  createdAt: number;
  summary: string;
}

export interface NewVersion {
  datastoreId: string;
  imageSetId: string;
  version: number;
  state: ImageSetState;
  workflowStatus: WorkflowStatus;
  message?: string | null;
  forced?: boolean;
  at: number;
  document: Buffer;
}

/** Rows of image sets, their versions and the frames each references. Callers own transactions. */
export class ImageSetStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      get: db.prepare('SELECT * FROM image_sets WHERE datastore_id = ? AND id = ?'),
      insert: db.prepare(
        `INSERT INTO image_sets (datastore_id, id, is_primary, study_uid, series_uid, latest_version, state, created_at, updated_at, summary)
         VALUES (@datastoreId, @imageSetId, @isPrimary, @studyInstanceUid, @seriesInstanceUid, 0, @state, @createdAt, @createdAt, @summary)`,
      ),
      setHead: db.prepare(
        'UPDATE image_sets SET latest_version = ?, state = ?, updated_at = ? WHERE datastore_id = ? AND id = ?',
      ),
      setState: db.prepare(
        'UPDATE image_sets SET state = ?, updated_at = ?, deleted_at = ? WHERE datastore_id = ? AND id = ?',
      ),
      setIdentity: db.prepare(
        'UPDATE image_sets SET study_uid = ?, series_uid = ?, series_uids = ?, summary = ? WHERE datastore_id = ? AND id = ?',
      ),
      setPrimary: db.prepare('UPDATE image_sets SET is_primary = ? WHERE datastore_id = ? AND id = ?'),
      findPrimary: db.prepare(
        `SELECT * FROM image_sets WHERE datastore_id = ? AND study_uid = ? AND series_uid = ? AND is_primary = 1 AND state != 'DELETED'
         ORDER BY created_at LIMIT 1`,
      ),
      live: db.prepare(`SELECT * FROM image_sets WHERE datastore_id = ? AND state != 'DELETED'`),
      withoutSeriesList: db.prepare(
        'SELECT datastore_id AS datastoreId, id AS imageSetId, latest_version AS latestVersion FROM image_sets WHERE series_uids IS NULL',
      ),
      locked: db.prepare(
        `SELECT datastore_id AS datastoreId, id AS imageSetId, latest_version AS latestVersion FROM image_sets WHERE state = 'LOCKED'`,
      ),
      countLive: db.prepare(`SELECT COUNT(*) AS n FROM image_sets WHERE datastore_id = ? AND state != 'DELETED'`),
      getVersion: db.prepare(
        `SELECT ${VERSION_COLUMNS} FROM image_set_versions WHERE datastore_id = ? AND image_set_id = ? AND version = ?`,
      ),
      getDocument: db.prepare(
        'SELECT document FROM image_set_versions WHERE datastore_id = ? AND image_set_id = ? AND version = ?',
      ),
      listVersions: db.prepare(
        `SELECT ${VERSION_COLUMNS} FROM image_set_versions WHERE datastore_id = ? AND image_set_id = ? AND version <= ?
         ORDER BY version DESC LIMIT ?`,
      ),
      insertVersion: db.prepare(
        `INSERT INTO image_set_versions (datastore_id, image_set_id, version, state, workflow_status, message, forced, created_at, updated_at, document)
         VALUES (@datastoreId, @imageSetId, @version, @state, @workflowStatus, @message, @forced, @at, @at, @document)`,
      ),
      finishVersion: db.prepare(
        `UPDATE image_set_versions SET state = ?, workflow_status = ?, message = ?, updated_at = ?, deleted_at = ?
         WHERE datastore_id = ? AND image_set_id = ? AND version = ?`,
      ),
      setVersionDocument: db.prepare(
        'UPDATE image_set_versions SET document = ? WHERE datastore_id = ? AND image_set_id = ? AND version = ?',
      ),
      addRef: db.prepare('INSERT OR IGNORE INTO frame_refs (datastore_id, image_set_id, frame_id) VALUES (?, ?, ?)'),
      dropRefs: db.prepare('DELETE FROM frame_refs WHERE datastore_id = ? AND image_set_id = ?'),
      // Only the deleted image set's own frames: frames a running import stored are unreferenced
      // until it commits, and must not be swept away under it.
      dropFramesOnlyReferencedBy: db.prepare(
        `DELETE FROM frames WHERE datastore_id = @ds
           AND id IN (SELECT frame_id FROM frame_refs WHERE datastore_id = @ds AND image_set_id = @imageSet)
           AND NOT EXISTS (SELECT 1 FROM frame_refs r
                           WHERE r.datastore_id = @ds AND r.frame_id = frames.id AND r.image_set_id != @imageSet)`,
      ),
      discardFrame: db.prepare(
        `DELETE FROM frames WHERE datastore_id = @ds AND id = @frame
           AND NOT EXISTS (SELECT 1 FROM frame_refs r WHERE r.datastore_id = @ds AND r.frame_id = @frame)`,
      ),
      dropUnreferencedFrames: db.prepare(
        `DELETE FROM frames WHERE NOT EXISTS
           (SELECT 1 FROM frame_refs r WHERE r.datastore_id = frames.datastore_id AND r.frame_id = frames.id)`,
      ),
      putFrame: db.prepare('INSERT OR REPLACE INTO frames (datastore_id, id, content_type, bytes) VALUES (?, ?, ?, ?)'),
      getFrame: db.prepare(
        `SELECT f.content_type AS contentType, f.bytes AS bytes FROM frame_refs r
         JOIN frames f ON f.datastore_id = r.datastore_id AND f.id = r.frame_id
         WHERE r.datastore_id = ? AND r.image_set_id = ? AND r.frame_id = ?`,
      ),
    };
  }

  get(datastoreId: string, imageSetId: string): ImageSetRecord | undefined {
    const row = this.s.get.get(datastoreId, imageSetId) as ImageSetRow | undefined;
    return row ? toImageSet(row) : undefined;
  }

  insert(imageSet: NewImageSet): void {
    this.s.insert.run({ ...imageSet, isPrimary: imageSet.isPrimary ? 1 : 0 });
  }

  setHead(datastoreId: string, imageSetId: string, latestVersion: number, state: ImageSetState, at: number): void {
    this.s.setHead.run(latestVersion, state, at, datastoreId, imageSetId);
  }

  setState(
    datastoreId: string,
    imageSetId: string,
    state: ImageSetState,
    at: number,
    deletedAt: number | null = null,
  ): void {
    this.s.setState.run(state, at, deletedAt, datastoreId, imageSetId);
  }

  /** `allSeries[0]` is the series the image set is filed under (primary look-ups); search sees them all. */
  setIdentity(
    datastoreId: string,
    imageSetId: string,
    study: string | null,
    allSeries: string[],
    summary: string,
  ): void {
    this.s.setIdentity.run(study, allSeries[0] ?? null, JSON.stringify(allSeries), summary, datastoreId, imageSetId);
  }

  /** Image sets written before the series list existed (schema 1), for the store to backfill. */
  withoutSeriesList(): Array<{ datastoreId: string; imageSetId: string; latestVersion: number }> {
    return this.s.withoutSeriesList.all() as Array<{ datastoreId: string; imageSetId: string; latestVersion: number }>;
  }

  setPrimary(datastoreId: string, imageSetId: string, isPrimary: boolean): void {
    this.s.setPrimary.run(isPrimary ? 1 : 0, datastoreId, imageSetId);
  }

  findPrimary(datastoreId: string, study: string, series: string): ImageSetRecord | undefined {
    const row = this.s.findPrimary.get(datastoreId, study, series) as ImageSetRow | undefined;
    return row ? toImageSet(row) : undefined;
  }

  listLive(datastoreId: string): ImageSetRecord[] {
    return (this.s.live.all(datastoreId) as ImageSetRow[]).map(toImageSet);
  }

  /** Image sets in the LOCKED state, with their latest version. */
  locked(): Array<{ datastoreId: string; imageSetId: string; latestVersion: number }> {
    return this.s.locked.all() as Array<{ datastoreId: string; imageSetId: string; latestVersion: number }>;
  }

  countLive(datastoreId: string): number {
    return (this.s.countLive.get(datastoreId) as { n: number }).n;
  }

  getVersion(datastoreId: string, imageSetId: string, version: number): VersionRecord | undefined {
    const row = this.s.getVersion.get(datastoreId, imageSetId, version) as VersionRow | undefined;
    return row ? toVersion(row) : undefined;
  }

  getDocumentGz(datastoreId: string, imageSetId: string, version: number): Buffer | undefined {
    const row = this.s.getDocument.get(datastoreId, imageSetId, version) as { document: Buffer } | undefined;
    return row?.document;
  }

  /** Versions newest first, starting at `fromVersion` (inclusive) going down. */
  listVersions(datastoreId: string, imageSetId: string, fromVersion: number, limit: number): VersionRecord[] {
    return (this.s.listVersions.all(datastoreId, imageSetId, fromVersion, limit) as VersionRow[]).map(toVersion);
  }

  insertVersion(v: NewVersion): void {
    this.s.insertVersion.run({ ...v, message: v.message ?? null, forced: v.forced ? 1 : 0 });
  }

  finishVersion(
    datastoreId: string,
    imageSetId: string,
    version: number,
    state: ImageSetState,
    workflowStatus: WorkflowStatus,
    message: string | null,
    at: number,
    deletedAt: number | null = null,
  ): void {
    this.s.finishVersion.run(state, workflowStatus, message, at, deletedAt, datastoreId, imageSetId, version);
  }

  setVersionDocument(datastoreId: string, imageSetId: string, version: number, document: Buffer): void {
    this.s.setVersionDocument.run(document, datastoreId, imageSetId, version);
  }

  addFrameRefs(datastoreId: string, imageSetId: string, frameIds: Iterable<string>): void {
    for (const id of frameIds) this.s.addRef.run(datastoreId, imageSetId, id);
  }

  /** Forgets the frames of a deleted image set, deleting those no other image set references. */
  dropFrameRefs(datastoreId: string, imageSetId: string): void {
    this.s.dropFramesOnlyReferencedBy.run({ ds: datastoreId, imageSet: imageSetId });
    this.s.dropRefs.run(datastoreId, imageSetId);
  }

  /** Deletes those of the given frames no image set references. */
  discardUnreferencedFrames(datastoreId: string, frameIds: Iterable<string>): void {
    for (const id of frameIds) this.s.discardFrame.run({ ds: datastoreId, frame: id });
  }

  /** Every frame no image set references (start-up only: a running import's frames look like that). */
  dropUnreferencedFrames(): void {
    this.s.dropUnreferencedFrames.run();
  }

  putFrame(datastoreId: string, frameId: string, contentType: string, bytes: Buffer): void {
    this.s.putFrame.run(datastoreId, frameId, contentType, bytes);
  }

  getFrame(
    datastoreId: string,
    imageSetId: string,
    frameId: string,
  ): { contentType: string; bytes: Buffer } | undefined {
    return this.s.getFrame.get(datastoreId, imageSetId, frameId) as { contentType: string; bytes: Buffer } | undefined;
  }
}
