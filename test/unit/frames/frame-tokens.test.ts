import { FrameTokens, type FrameGrant } from '../../../src/frames/frame-tokens';

const secret = 'frame-token-test-secret-0123456789abcdefgh';
const grant: FrameGrant = {
  tenantId: 'acme',
  subject: 'alice@acme.test',
  method: 'jwt',
  client: 'viewer-app',
  datastoreId: 'a'.repeat(32),
  imageSetId: 'b'.repeat(32),
  versionId: '3',
  imageFrameId: 'c'.repeat(32),
};

describe('FrameTokens', () => {
  it('opens what it minted, until the expiry, with the whole grant', () => {
    let now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const tokens = new FrameTokens(secret, 300, () => now);
    const { token, expiresAt } = tokens.mint(grant);
    expect(expiresAt.getTime()).toBe(now + 300_000);
    expect(tokens.open(token)).toEqual({ grant, expiresAt });
    now = expiresAt.getTime() - 1;
    expect(tokens.open(token)?.grant).toEqual(grant);
    now = expiresAt.getTime();
    expect(tokens.open(token)).toBeUndefined();
  });

  it('keeps optional fields optional', () => {
    const tokens = new FrameTokens(secret, 300);
    const { client: _client, versionId: _versionId, ...bare } = grant;
    expect(tokens.open(tokens.mint({ ...bare, method: 'api-key' }).token)?.grant).toEqual({
      ...bare,
      method: 'api-key',
    });
  });

  it('mints the same URL for the same grant within an issue window, and loses at most a tenth of the life', () => {
    let now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const tokens = new FrameTokens(secret, 300, () => now);
    const first = tokens.mint(grant);
    now += 29_000;
    expect(tokens.mint(grant)).toEqual(first);
    now += 1_000;
    const next = tokens.mint(grant);
    expect(next.token).not.toBe(first.token);
    expect(next.expiresAt.getTime() - now).toBe(300_000);
    expect(tokens.mint({ ...grant, tenantId: 'globex' }).token).not.toBe(next.token);
  });

  it('refuses every altered byte, another secret, and what is not a token', () => {
    const tokens = new FrameTokens(secret, 300);
    const { token } = tokens.mint(grant);
    const bytes = Buffer.from(token, 'base64url');
    for (let index = 0; index < bytes.length; index++) {
      const altered = Buffer.from(bytes);
      altered[index] = (altered[index] ?? 0) ^ 0x01;
      expect(tokens.open(altered.toString('base64url'))).toBeUndefined();
    }
    expect(new FrameTokens(`${secret}-other`, 300).open(token)).toBeUndefined();
    for (const junk of ['', 'x', `${token}A`, token.slice(0, -1), `${token}=`, 'a'.repeat(5000), 42, null]) {
      expect(tokens.open(junk)).toBeUndefined();
    }
  });

  it('reveals neither the ids nor the caller', () => {
    const { token } = new FrameTokens(secret, 300).mint(grant);
    const decoded = Buffer.from(token, 'base64url').toString('latin1');
    for (const value of ['acme', 'alice', 'viewer-app', 'aaaa', 'bbbb', 'cccc']) {
      expect(token).not.toContain(value);
      expect(decoded).not.toContain(value);
    }
  });
});
