import { startTestHil, type TestHil } from '../support/hil-client';
import { signedRequest, type RawResponse } from '../support/hil-signed-request';
import { createActiveDatastore } from '../support/hil-wait';

function expectError(res: RawResponse, status: number, type: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['x-amzn-errortype']).toBe(type);
  expect(res.headers['content-type']).toBe('application/json');
  const body = res.json();
  expect(typeof body.message).toBe('string');
  expect(body.__type).toBe(`com.amazonaws.medicalimaging#${type}`);
  expect(String(body.message)).not.toMatch(/\n\s+at /); // never a stack trace
}

describe('HealthImaging Local wire format and bad input', () => {
  let t: TestHil;
  let datastoreId: string;
  const send = (method: string, path: string, body?: string | Buffer, query?: Record<string, string>) =>
    signedRequest({
      url: t.url,
      method,
      path,
      credentials: t.credentials,
      ...(body === undefined ? {} : { body }),
      ...(query === undefined ? {} : { query }),
    });

  beforeAll(async () => {
    t = await startTestHil({ maxBodyBytes: 64 * 1024 });
    datastoreId = await createActiveDatastore(t.client());
  });
  afterAll(async () => t.close());

  it('answers JSON with a request id and epoch-second timestamps carrying milliseconds', async () => {
    const res = await send('GET', `/datastore/${datastoreId}`);
    expect(res.status).toBe(200);
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    const props = res.json().datastoreProperties as Record<string, unknown>;
    expect(typeof props.createdAt).toBe('number');
    expect(props.createdAt as number).toBeLessThan(1e11); // seconds, not milliseconds
    expect(props).not.toHaveProperty('kmsKeyArn'); // absent members are omitted, not null
  });

  it('answers UnknownOperationException (404) for unknown routes and wrong methods', async () => {
    expectError(await send('GET', '/nothing/here'), 404, 'UnknownOperationException');
    expectError(await send('PUT', '/datastore'), 404, 'UnknownOperationException');
    expectError(
      await send('GET', `/datastore/${datastoreId}/imageSet/${'a'.repeat(32)}/getImageSet`),
      404,
      'UnknownOperationException',
    );
  });

  it('answers ValidationException for malformed JSON, non-object bodies and wrong member types', async () => {
    expectError(await send('POST', '/datastore', '{"clientToken": '), 400, 'ValidationException');
    expectError(await send('POST', '/datastore', '[1,2]'), 400, 'ValidationException');
    expectError(await send('POST', '/datastore', '{"clientToken": 12}'), 400, 'ValidationException');
    expectError(
      await send('POST', '/datastore', '{"clientToken": "ok", "tags": "not-a-map"}'),
      400,
      'ValidationException',
    );
    expectError(
      await send(
        'POST',
        `/datastore/${datastoreId}/imageSet/${'a'.repeat(32)}/copyImageSet`,
        '{"sourceImageSet": "x"}',
      ),
      400,
      'ValidationException',
    );
    expectError(
      await send(
        'POST',
        `/datastore/${datastoreId}/imageSet/${'a'.repeat(32)}/updateImageSetMetadata`,
        '{"revertToVersionId": "1"}',
        {
          latestVersion: '1',
          force: 'maybe',
        },
      ),
      400,
      'ValidationException',
    );
  });

  it('answers ValidationException for a body over the size cap without reading it all', async () => {
    const huge = Buffer.alloc(200 * 1024, 0x20);
    expectError(await send('POST', '/datastore', huge), 400, 'ValidationException');
  });

  it('percent-decodes path segments, so a percent-encoded id is the same id', async () => {
    const encoded = datastoreId.replace(/a/g, '%61');
    const res = await send('GET', `/datastore/${encoded}`);
    expect(res.status).toBe(200);
    expectError(await send('GET', '/datastore/%E0%A4%A'), 404, 'UnknownOperationException');
  });

  it('accepts an empty JSON object as the body of operations that take none', async () => {
    const res = await send('POST', `/datastore/${datastoreId}/searchImageSets`, '{}');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ imageSetsMetadataSummaries: [] });
  });
});
