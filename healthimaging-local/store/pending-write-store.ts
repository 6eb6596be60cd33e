import type { Db } from './database';
import type { PendingWrite, PendingWriteRow } from '../shapes/image-set-state';

/** Accepted Update/Copy/Delete work not yet completed; survives restarts. */
export class PendingWriteStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      insert: db.prepare(
        'INSERT INTO pending_writes (datastore_id, image_set_id, kind, payload, due_at) VALUES (?, ?, ?, ?, ?)',
      ),
      get: db.prepare('SELECT * FROM pending_writes WHERE id = ?'),
      remove: db.prepare('DELETE FROM pending_writes WHERE id = ?'),
      all: db.prepare('SELECT * FROM pending_writes ORDER BY id'),
    };
  }

  insert(datastoreId: string, imageSetId: string, write: PendingWrite, dueAt: number): number {
    return Number(this.s.insert.run(datastoreId, imageSetId, write.kind, JSON.stringify(write), dueAt).lastInsertRowid);
  }

  get(id: number): PendingWriteRow | undefined {
    const row = this.s.get.get(id) as RawRow | undefined;
    return row ? toRow(row) : undefined;
  }

  remove(id: number): void {
    this.s.remove.run(id);
  }

  all(): PendingWriteRow[] {
    return (this.s.all.all() as RawRow[]).map(toRow);
  }
}

interface RawRow {
  id: number;
  datastore_id: string;
  image_set_id: string;
  payload: string;
  due_at: number;
}

const toRow = (r: RawRow): PendingWriteRow => ({
  id: r.id,
  datastoreId: r.datastore_id,
  imageSetId: r.image_set_id,
  dueAt: r.due_at,
  write: JSON.parse(r.payload) as PendingWrite,
});
