import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY_FILE, PageTokens, TOKEN_TTL_MS, isOffset } from '../../../healthimaging-local/responses/page-tokens';

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`;
  }
  return 'accepted';
};

describe('page tokens', () => {
  const key = randomBytes(32);

  it('round-trips a position within its scope', () => {
    const tokens = new PageTokens(key);
    expect(tokens.open('ListDICOMImportJobs/ds/', tokens.issue('ListDICOMImportJobs/ds/', 50), isOffset)).toBe(50);
    expect(tokens.open('any', undefined, isOffset)).toBeUndefined();
  });

  it('refuses a token of another scope, another key, or with any character changed', () => {
    const tokens = new PageTokens(key);
    const token = tokens.issue('ListDICOMImportJobs/ds/COMPLETED', 50);
    expect(refusal(() => tokens.open('ListDICOMImportJobs/ds/FAILED', token, isOffset))).toMatch(
      /^ValidationException: Invalid nextToken/,
    );
    expect(
      refusal(() => new PageTokens(randomBytes(32)).open('ListDICOMImportJobs/ds/COMPLETED', token, isOffset)),
    ).toMatch(/^ValidationException: Invalid nextToken/);
    for (let i = 0; i < token.length; i++) {
      const c = token[i] === 'A' ? 'B' : 'A';
      const edited = token.slice(0, i) + c + token.slice(i + 1);
      expect(refusal(() => tokens.open('ListDICOMImportJobs/ds/COMPLETED', edited, isOffset))).toMatch(
        /^ValidationException/,
      );
    }
  });

  it('refuses a token after its expiry', () => {
    let now = 1_000_000;
    const tokens = new PageTokens(key, () => now);
    const token = tokens.issue('s', 1);
    now += TOKEN_TTL_MS - 1;
    expect(tokens.open('s', token, isOffset)).toBe(1);
    now += 1;
    expect(refusal(() => tokens.open('s', token, isOffset))).toBe(
      'ValidationException: Invalid nextToken: the token has expired',
    );
  });

  it('refuses a signed position of the wrong shape (the signature is not the only check)', () => {
    const tokens = new PageTokens(key);
    for (const p of [null, 'x', [1], { __proto__: 1 }, 1e300, -1, 1.5]) {
      expect(refusal(() => tokens.open('s', tokens.issue('s', p), isOffset))).toBe(
        'ValidationException: Invalid nextToken',
      );
    }
  });

  it('keeps one key per data folder, readable only by its owner, across instances', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hil-key-'));
    try {
      const token = PageTokens.forDataDir(dir).issue('s', 7);
      expect(PageTokens.forDataDir(dir).open('s', token, isOffset)).toBe(7);
      expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
      expect(refusal(() => PageTokens.ephemeral().open('s', token, isOffset))).toMatch(/^ValidationException/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
