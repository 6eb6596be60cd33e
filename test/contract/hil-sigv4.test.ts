import { CreateDatastoreCommand, GetDatastoreCommand, ListDatastoresCommand } from '@aws-sdk/client-medical-imaging';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { DEFAULT_ACCESS_KEY } from '../../healthimaging-local';
import { startTestHil, type TestHil } from '../support/hil-client';
import { expectServiceError } from '../support/hil-errors';
import { signedRequest } from '../support/hil-signed-request';
import { createActiveDatastore } from '../support/hil-wait';

describe('HealthImaging Local SigV4 verification', () => {
  let t: TestHil;
  let granted: string;
  let other: string;
  const tenantKey = { accessKeyId: 'AKIATENANTONE0000000', secretAccessKey: 'tenant-one-secret' };

  beforeAll(async () => {
    t = await startTestHil();
    const admin = t.client();
    granted = await createActiveDatastore(admin, 'granted');
    other = await createActiveDatastore(admin, 'other');
    t.hil.admin.accessKeys.add({ ...tenantKey, datastores: [granted] });
  });
  afterAll(async () => t.close());

  it('accepts a correctly signed request from a known key', async () => {
    const got = await t.client({ credentials: tenantKey }).send(new GetDatastoreCommand({ datastoreId: granted }));
    expect(got.datastoreProperties?.datastoreId).toBe(granted);
  });

  it('answers UnrecognizedClientException (403) for an unknown access key', async () => {
    const client = t.client({ credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' } });
    await expectServiceError(() => client.send(new ListDatastoresCommand({})), 'UnrecognizedClientException', 403);
  });

  it('answers InvalidSignatureException (403) for a request signed with the wrong secret', async () => {
    const client = t.client({
      credentials: { accessKeyId: DEFAULT_ACCESS_KEY.accessKeyId, secretAccessKey: 'wrong-secret' },
    });
    await expectServiceError(() => client.send(new ListDatastoresCommand({})), 'InvalidSignatureException', 403);
  });

  /** Signs a CreateDatastore body, then sends a different body of the same length under that signature. */
  async function sendTampered(applyChecksum: boolean) {
    const url = new URL(t.url);
    const signer = new SignatureV4({
      credentials: t.credentials,
      region: 'us-east-1',
      service: 'medical-imaging',
      sha256: Sha256,
      applyChecksum,
    });
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/datastore',
      query: {},
      headers: { host: url.host, 'content-type': 'application/json' },
      body: '{"clientToken":"abc"}',
    });
    const res = await fetch(`${t.url}/datastore`, {
      method: 'POST',
      headers: signed.headers as Record<string, string>,
      body: '{"clientToken":"abd"}',
    });
    return { res, signedHeaders: Object.keys(signed.headers) };
  }

  it('answers InvalidSignatureException when the body was changed after signing', async () => {
    // The signer also signs the body's hash header here.
    const { res, signedHeaders } = await sendTampered(true);
    expect(signedHeaders).toContain('x-amz-content-sha256');
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
  });

  it('answers InvalidSignatureException when the body was changed and no payload hash header was signed', async () => {
    const { res, signedHeaders } = await sendTampered(false);
    expect(signedHeaders).not.toContain('x-amz-content-sha256');
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
  });

  it('answers AccessDeniedException (403) for a data store outside the key grant, and lists only granted ones', async () => {
    const client = t.client({ credentials: tenantKey });
    await expectServiceError(
      () => client.send(new GetDatastoreCommand({ datastoreId: other })),
      'AccessDeniedException',
      403,
    );
    await expectServiceError(() => client.send(new CreateDatastoreCommand({})), 'AccessDeniedException', 403);
    const listed = await client.send(new ListDatastoresCommand({}));
    expect(listed.datastoreSummaries!.map((d) => d.datastoreId)).toEqual([granted]);
  });

  it('rejects unsigned requests with MissingAuthenticationTokenException', async () => {
    const res = await fetch(`${t.url}/datastore`);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers IncompleteSignatureException for an Authorization header that is not a complete SigV4 signature', async () => {
    for (const authorization of ['AWS4-HMAC-SHA256 Credential=AKIAHILLOCAL00000000', 'Bearer abc']) {
      const res = await fetch(`${t.url}/datastore`, { headers: { authorization } });
      expect(res.status).toBe(403);
      expect(res.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
    }
  });

  it('answers InvalidSignatureException for a signature dated more than 15 minutes from the server clock', async () => {
    const skewed = t.client({ systemClockOffset: -20 * 60_000 });
    const err = await expectServiceError(
      () => skewed.send(new ListDatastoresCommand({})),
      'InvalidSignatureException',
      403,
    );
    expect(err.message).toMatch(/expired/i);
    // Like the real service, the answer carries a Date header: a retrying SDK corrects its clock from it.
    const correcting = t.client({ systemClockOffset: -20 * 60_000, maxAttempts: 2 });
    expect((await correcting.send(new ListDatastoresCommand({}))).datastoreSummaries).toBeDefined();
  });

  it('verifies requests whose Host header carries the runtime- prefix, since the client signed that host', async () => {
    const res = await signedRequest({
      url: t.url,
      method: 'GET',
      path: '/datastore',
      credentials: t.credentials,
      hostHeader: `runtime-127.0.0.1:${t.port}`,
    });
    expect(res.status).toBe(200);
  });

  it('stops accepting a key once it is removed', async () => {
    const key = { accessKeyId: 'AKIATEMPORARY0000000', secretAccessKey: 'temporary' };
    t.hil.admin.accessKeys.add({ ...key, datastores: '*' });
    const client = t.client({ credentials: key });
    await client.send(new ListDatastoresCommand({}));
    t.hil.admin.accessKeys.remove(key.accessKeyId);
    await expectServiceError(() => client.send(new ListDatastoresCommand({})), 'UnrecognizedClientException', 403);
  });
});
