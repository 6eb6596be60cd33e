import type { Db } from './database';

/** Tags keyed by resource: `<datastoreId>` or `<datastoreId>/<imageSetId>` (region-independent). */
export class TagStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      list: db.prepare('SELECT key, value FROM tags WHERE resource = ? ORDER BY key'),
      put: db.prepare('INSERT OR REPLACE INTO tags (resource, key, value) VALUES (?, ?, ?)'),
      remove: db.prepare('DELETE FROM tags WHERE resource = ? AND key = ?'),
      removeAll: db.prepare('DELETE FROM tags WHERE resource = ?'),
    };
  }

  list(resource: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const row of this.s.list.all(resource) as Array<{ key: string; value: string }>) out[row.key] = row.value;
    return out;
  }

  put(resource: string, tags: Record<string, string>): void {
    for (const [k, v] of Object.entries(tags)) this.s.put.run(resource, k, v);
  }

  remove(resource: string, keys: string[]): void {
    for (const k of keys) this.s.remove.run(resource, k);
  }

  removeAll(resource: string): void {
    this.s.removeAll.run(resource);
  }
}
