import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash } from 'node:crypto';
import { startTestHil, type TestHil } from '../support/hil-client';
import { present } from '../support/present';

/**
 * One request per rule of the SigV4 verifier, each otherwise correctly signed, so that it
 * succeeds exactly when that one rule is removed. Every case also has a control: the same
 * construction without the defect answers 200, which shows the defect is the only reason.
 */
describe('HealthImaging Local SigV4 rules, one request each', () => {
  let t: TestHil;
  beforeAll(async () => {
    t = await startTestHil();
  });
  afterAll(async () => t.close());

  interface Build {
    service?: string;
    signingDate?: Date;
    unsignableHeaders?: Set<string>;
    extraHeaders?: Record<string, string>;
    signedBody?: string;
    sentBody?: string;
    method?: string;
    /** Changes the signed headers before sending. */
    edit?: (headers: Record<string, string>) => void;
  }

  async function send(b: Build = {}): Promise<{ status: number; type: string | null; message: string }> {
    const url = new URL(t.url);
    const method = b.method ?? 'GET';
    const signer = new SignatureV4({
      credentials: t.credentials,
      region: 'us-east-1',
      service: b.service ?? 'medical-imaging',
      sha256: Sha256,
      applyChecksum: false,
    });
    const signed = await signer.sign(
      {
        method,
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/datastore',
        query: {},
        headers: { host: url.host, ...b.extraHeaders },
        ...(b.signedBody === undefined ? {} : { body: b.signedBody }),
      },
      {
        ...(b.signingDate === undefined ? {} : { signingDate: b.signingDate }),
        ...(b.unsignableHeaders === undefined ? {} : { unsignableHeaders: b.unsignableHeaders }),
      },
    );
    const headers = { ...(signed.headers as Record<string, string>) };
    b.edit?.(headers);
    delete headers.host; // fetch sends the real one
    const body = b.sentBody ?? b.signedBody;
    const res = await fetch(`${t.url}/datastore`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('x-amzn-errortype'),
      message: text ? String((JSON.parse(text) as { message?: unknown }).message ?? '') : '',
    };
  }

  it('control: the constructions below are accepted without their defect', async () => {
    expect((await send()).status).toBe(200);
    expect((await send({ extraHeaders: { 'x-amz-meta-case': 'one' } })).status).toBe(200);
    expect((await send({ signingDate: new Date(Date.now() - 14 * 60_000) })).status).toBe(200);
    expect((await send({ signingDate: new Date(Date.now() + 14 * 60_000) })).status).toBe(200);
    const body = '{"datastoreName":"sigv4-rules","clientToken":"sigv4-rules-1"}';
    const sha = createHash('sha256').update(body).digest('hex');
    expect(
      (
        await send({
          method: 'POST',
          signedBody: body,
          extraHeaders: { 'content-type': 'application/json', 'x-amz-content-sha256': sha },
        })
      ).status,
    ).toBe(200);
  });

  it('refuses a credential scoped to another service', async () => {
    expect(await send({ service: 'medical-imaging-x' })).toMatchObject({
      status: 403,
      type: 'InvalidSignatureException',
      message: expect.stringContaining('correct service'),
    });
  });

  it('refuses a request without X-Amz-Date, with a malformed one, or one outside the credential date', async () => {
    const drop = await send({ edit: (h) => delete h['x-amz-date'] });
    expect(drop).toMatchObject({ status: 403, type: 'IncompleteSignatureException' });
    const malformed = await send({
      edit: (h) => (h['x-amz-date'] = present(h['x-amz-date'], 'a date').replace('T', 't')),
    });
    expect(malformed).toMatchObject({ status: 403, type: 'IncompleteSignatureException' });
    // Signed over a date two days off the credential scope's day: the scope says one day, the header another.
    const other = await send({
      edit: (h) =>
        (h.authorization = present(h.authorization, 'a signature').replace(
          /Credential=([^/]+)\/(\d{8})/,
          (_m, k: string) => `Credential=${k}/20000101`,
        )),
    });
    expect(other).toMatchObject({ status: 403, type: 'IncompleteSignatureException' });
  });

  it('refuses a signature more than 15 minutes behind or ahead of the server clock', async () => {
    for (const offset of [-16 * 60_000, 16 * 60_000]) {
      expect(await send({ signingDate: new Date(Date.now() + offset) })).toMatchObject({
        status: 403,
        type: 'InvalidSignatureException',
        message: expect.stringContaining('expired'),
      });
    }
  });

  it('refuses a valid signature that does not cover the Host header', async () => {
    const res = await send({ unsignableHeaders: new Set(['host']) });
    expect(res).toMatchObject({
      status: 403,
      type: 'IncompleteSignatureException',
      message: "'Host' must be a signed header.",
    });
  });

  it('refuses a request missing a header it claims to have signed', async () => {
    const res = await send({ extraHeaders: { 'x-amz-meta-case': 'one' }, edit: (h) => delete h['x-amz-meta-case'] });
    expect(res).toMatchObject({
      status: 403,
      type: 'InvalidSignatureException',
      message: "Signed header 'x-amz-meta-case' is missing from the request.",
    });
  });

  it('refuses a signed x-amz-content-sha256 that is not the hash of the body received', async () => {
    // The signature is correct for the header's claim; only the body check can tell.
    const sent = '{"datastoreName":"sigv4-real","clientToken":"sigv4-real-1"}';
    const claimed = createHash('sha256').update('{"datastoreName":"sigv4-other"}').digest('hex');
    const res = await send({
      method: 'POST',
      signedBody: sent,
      extraHeaders: { 'content-type': 'application/json', 'x-amz-content-sha256': claimed },
    });
    expect(res).toMatchObject({
      status: 403,
      type: 'InvalidSignatureException',
      message: expect.stringContaining('x-amz-content-sha256'),
    });
    const empty = await send({ extraHeaders: { 'x-amz-content-sha256': claimed } });
    expect(empty).toMatchObject({ status: 403, type: 'InvalidSignatureException' });
  });

  it('refuses a signature that does not match, even by one character', async () => {
    const res = await send({
      edit: (h) =>
        (h.authorization = present(h.authorization, 'a signature').replace(
          /Signature=(.)/,
          (_m, c: string) => `Signature=${c === '0' ? '1' : '0'}`,
        )),
    });
    expect(res).toMatchObject({
      status: 403,
      type: 'InvalidSignatureException',
      message: expect.stringContaining('does not match'),
    });
  });
});
