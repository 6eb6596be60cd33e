import { GetDatastoreCommand, ListDatastoresCommand } from '@aws-sdk/client-medical-imaging';
import { networkInterfaces } from 'node:os';
import { startTestHil, type TestHil } from '../support/hil-client';
import { expectServiceError } from '../support/hil-errors';
import { spawnHilProcess } from '../support/hil-process';
import { createActiveDatastore, pollUntil } from '../support/hil-wait';
import { present } from '../support/present';

describe('HealthImaging Local fault injection, rate limits and call statistics', () => {
  let t: TestHil;
  let datastoreId: string;
  beforeAll(async () => {
    t = await startTestHil();
    datastoreId = await createActiveDatastore(t.client());
  });
  afterEach(() => {
    t.hil.admin.faults.clear();
    t.hil.admin.rateLimits.clear();
  });
  afterAll(async () => t.close());

  it('throttles an operation for the given number of calls, then serves it again', async () => {
    const client = t.client();
    t.hil.admin.faults.set({ operation: 'GetDatastore', mode: 'throttle', count: 2 });
    await expectServiceError(() => client.send(new GetDatastoreCommand({ datastoreId })), 'ThrottlingException', 429);
    await expectServiceError(() => client.send(new GetDatastoreCommand({ datastoreId })), 'ThrottlingException', 429);
    await client.send(new GetDatastoreCommand({ datastoreId }));
    // Other operations were never affected.
    expect(t.hil.admin.faults.list()).toEqual([]);
  });

  it('answers InternalServerException (500, server fault), which the SDK retries when allowed to', async () => {
    t.hil.admin.faults.set({ operation: 'ListDatastores', mode: 'error', count: 2 });
    t.hil.admin.resetStats();
    const retrying = t.client({ maxAttempts: 3 });
    await retrying.send(new ListDatastoresCommand({}));
    expect(t.hil.admin.stats().operations.ListDatastores).toBe(3);
    t.hil.admin.faults.set({ operation: 'ListDatastores', mode: 'error' });
    const err = await expectServiceError(
      () => t.client().send(new ListDatastoresCommand({})),
      'InternalServerException',
      500,
    );
    expect(err.$fault).toBe('server');
  });

  it('holds a hung call open until the server closes', async () => {
    const own = await startTestHil({ faults: [{ operation: 'ListDatastores', mode: 'hang' }] });
    const call = own.client().send(new ListDatastoresCommand({}));
    const outcome = call.then(
      () => 'answered',
      (err: Error) => err.name,
    );
    await pollUntil('the hung call to arrive', async () => (own.hil.admin.stats().total === 1 ? true : undefined));
    const raced = await Promise.race([outcome, new Promise((r) => setTimeout(() => r('still open'), 100))]);
    expect(raced).toBe('still open');
    await own.close();
    expect(await outcome).not.toBe('answered');
  });

  it('adds latency without changing the answer', async () => {
    // A lower bound only: a loaded machine can make the call slower, never faster than the fault.
    const latencyMs = 300;
    t.hil.admin.faults.set({ operation: 'GetDatastore', mode: 'latency', latencyMs, count: 1 });
    const client = t.client();
    const started = performance.now();
    const got = await client.send(new GetDatastoreCommand({ datastoreId }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(latencyMs - 1);
    expect(got.datastoreProperties?.datastoreId).toBe(datastoreId);
    // count: 1 — the next call is not delayed, and the fault is gone.
    expect(t.hil.admin.faults.list()).toEqual([]);
  });

  it('counts calls per operation and per access key, including rejected ones', async () => {
    t.hil.admin.resetStats();
    await t.client().send(new GetDatastoreCommand({ datastoreId }));
    await t.client().send(new GetDatastoreCommand({ datastoreId }));
    const stranger = t.client({ credentials: { accessKeyId: 'AKIASTRANGER00000000', secretAccessKey: 's' } });
    await expectServiceError(() => stranger.send(new ListDatastoresCommand({})), 'UnrecognizedClientException', 403);
    const stats = t.hil.admin.stats();
    expect(stats.total).toBe(3);
    expect(stats.operations).toEqual({ GetDatastore: 2, ListDatastores: 1 });
    expect(stats.accessKeys[t.credentials.accessKeyId]).toEqual({ GetDatastore: 2 });
    expect(stats.accessKeys.AKIASTRANGER00000000).toEqual({ ListDatastores: 1 });
  });

  it('serves and controls faults and statistics over the loopback admin endpoints', async () => {
    const set = await fetch(`${t.url}/_hil/faults`, {
      method: 'POST',
      body: JSON.stringify({ spec: 'GetDatastore=throttle:1' }),
    });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ faults: [{ operation: 'GetDatastore', mode: 'throttle', count: 1 }] });
    await expectServiceError(
      () => t.client().send(new GetDatastoreCommand({ datastoreId })),
      'ThrottlingException',
      429,
    );
    await fetch(`${t.url}/_hil/faults`, {
      method: 'POST',
      body: JSON.stringify({ operation: 'ListDatastores', mode: 'error' }),
    });
    expect((await fetch(`${t.url}/_hil/faults?operation=ListDatastores`, { method: 'DELETE' })).status).toBe(200);
    expect(t.hil.admin.faults.list()).toEqual([]);
    const bad = await fetch(`${t.url}/_hil/faults`, {
      method: 'POST',
      body: JSON.stringify({ operation: 'Nope', mode: 'error' }),
    });
    expect(bad.status).toBe(400);
    const stats = (await (await fetch(`${t.url}/_hil/stats`)).json()) as { operations: Record<string, number> };
    expect(stats.operations.GetDatastore).toBeGreaterThan(0);
    await fetch(`${t.url}/_hil/stats`, { method: 'DELETE' });
    expect(t.hil.admin.stats().total).toBe(0);
  });

  it('sets, lists and clears rate limits over the loopback admin endpoint', async () => {
    const set = await fetch(`${t.url}/_hil/rate-limits`, {
      method: 'POST',
      body: JSON.stringify({ spec: 'GetDatastore=1/1' }),
    });
    expect(await set.json()).toEqual({ rateLimits: { GetDatastore: { rate: 1, burst: 1 } } });
    const client = t.client();
    await client.send(new GetDatastoreCommand({ datastoreId }));
    await expectServiceError(() => client.send(new GetDatastoreCommand({ datastoreId })), 'ThrottlingException', 429);
    const quota = (await (
      await fetch(`${t.url}/_hil/rate-limits`, { method: 'POST', body: JSON.stringify({ spec: 'quota' }) })
    ).json()) as {
      rateLimits: Record<string, unknown>;
    };
    expect(quota.rateLimits.UpdateImageSetMetadata).toEqual({ rate: 0.25, burst: 1 });
    expect(
      (await fetch(`${t.url}/_hil/rate-limits`, { method: 'POST', body: '{"spec":"GetDatastore=fast"}' })).status,
    ).toBe(400);
    expect(await (await fetch(`${t.url}/_hil/rate-limits`, { method: 'DELETE' })).json()).toEqual({ rateLimits: {} });
    await client.send(new GetDatastoreCommand({ datastoreId }));
  });

  it('refuses the admin endpoints to callers that are not on loopback, while serving them the API', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) {
      console.log('skipped: this machine has no non-loopback IPv4 address to call from');
      return;
    }
    const open = await startTestHil({ host: '0.0.0.0' });
    try {
      const url = `http://${external.address}:${open.port}`;
      const refused = await fetch(`${url}/_hil/faults`, {
        method: 'POST',
        body: JSON.stringify({ spec: 'ListDatastores=error' }),
      });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
      expect(open.hil.admin.faults.list()).toEqual([]);
      expect((await fetch(`${url}/_hil/stats`)).status).toBe(403);
      const remote = open.client({ endpoint: url });
      expect((await remote.send(new ListDatastoresCommand({}))).datastoreSummaries).toEqual([]);
    } finally {
      await open.close();
    }
  });

  it('throttles with the documented quota rates once the burst is spent', async () => {
    t.hil.admin.rateLimits.set('quota'); // GetDatastore: 10/s, burst 20
    const client = t.client();
    let throttled = 0;
    for (let i = 0; i < 30; i++) {
      try {
        await client.send(new GetDatastoreCommand({ datastoreId }));
      } catch (err) {
        expect((err as Error).name).toBe('ThrottlingException');
        throttled += 1;
      }
    }
    expect(throttled).toBeGreaterThan(0);
    expect(throttled).toBeLessThanOrEqual(10);
  });

  it('takes faults and rate limits from CLI flags', async () => {
    const proc = await spawnHilProcess([
      '--port',
      '0',
      '--in-memory',
      '--fault',
      'ListDatastores=throttle:1',
      '--rate-limits',
      'GetDatastore=1/1',
    ]);
    try {
      expect(proc.stdout()).toMatch(/^HealthImaging Local listening on http:\/\/127\.0\.0\.1:\d+\n/);
      const faults = await (await fetch(`${proc.url}/_hil/faults`)).json();
      expect(faults).toEqual({ faults: [{ operation: 'ListDatastores', mode: 'throttle', count: 1 }] });
      const { MedicalImagingClient } = await import('@aws-sdk/client-medical-imaging');
      const [, accessKeyId, secretAccessKey] =
        /AWS_ACCESS_KEY_ID=(\S+)\nAWS_SECRET_ACCESS_KEY=(\S+)/.exec(proc.stdout()) ?? [];
      const client = new MedicalImagingClient({
        region: 'us-east-1',
        endpoint: proc.url,
        disableHostPrefix: true,
        maxAttempts: 1,
        credentials: {
          accessKeyId: present(accessKeyId, 'a key id'),
          secretAccessKey: present(secretAccessKey, 'a secret'),
        },
      });
      await expectServiceError(() => client.send(new ListDatastoresCommand({})), 'ThrottlingException', 429);
      await client.send(new ListDatastoresCommand({}));
      client.destroy();
    } finally {
      await proc.kill('SIGTERM');
    }
  });
});
