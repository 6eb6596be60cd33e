import type { Db } from './database';

/** Idempotency records: the first response given to (operation, clientToken). */
export class ClientTokenStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      get: db.prepare('SELECT fingerprint, response FROM client_tokens WHERE operation = ? AND token = ?'),
      put: db.prepare(
        'INSERT INTO client_tokens (operation, token, fingerprint, response, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
    };
  }

  get(operation: string, token: string): { fingerprint: string; response: unknown } | undefined {
    const row = this.s.get.get(operation, token) as { fingerprint: string; response: string } | undefined;
    return row ? { fingerprint: row.fingerprint, response: JSON.parse(row.response) } : undefined;
  }

  put(operation: string, token: string, fingerprint: string, response: unknown, at: number): void {
    this.s.put.run(operation, token, fingerprint, JSON.stringify(response), at);
  }
}
