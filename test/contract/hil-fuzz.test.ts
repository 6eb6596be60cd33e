/**
 * Bad input never crashes HealthImaging Local: malformed requests generated from a seeded random
 * source over every route (garbage ids and percent-escapes in path labels, wrong or unknown query
 * values, bodies that are not JSON, not objects, of the wrong member types, deeply nested or over
 * the size cap, broken signatures, unknown routes and methods), then a bounded run of 10,000
 * cases over every error class the contract table of the README lists (forged and edited page
 * tokens, deep update documents and copy selections, repeated query parameters, non-exact paths
 * and `..` segments, unknown admin paths, S3 URIs with `..`). Each must get a well-formed answer
 * that is not a server error, and the server must keep serving real calls.
 */
import { GetImageSetCommand, ListDICOMImportJobsCommand, ListDatastoresCommand } from '@aws-sdk/client-medical-imaging';
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { ERROR_STATUS } from '../../healthimaging-local/shapes/errors';
import { smallCtStudy } from '../../scripts/synthetic-studies';
import { startTestHil, type TestHil } from '../support/hil-client';
import { signedRequest, type RawResponse } from '../support/hil-signed-request';
import { createActiveDatastore, importSyntheticStudy } from '../support/hil-wait';
import { atLeast, present } from '../support/present';

interface FuzzRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[]> | undefined;
  body?: string | Buffer | undefined;
}

/** A signed request; members the fuzzer leaves undefined are not sent. */
function send(t: TestHil, req: FuzzRequest): Promise<RawResponse> {
  return signedRequest({
    url: t.url,
    method: req.method,
    path: req.path,
    credentials: t.credentials,
    ...(req.query === undefined ? {} : { query: req.query }),
    ...(req.body === undefined ? {} : { body: req.body }),
  });
}

interface RouteSpec {
  method: string;
  path: string;
  query: string[];
  body: string[];
}

/** The 18 operations: route, query names and top-level body members, as the model has them. */
const ROUTES: RouteSpec[] = [
  {
    method: 'POST',
    path: '/datastore',
    query: [],
    body: ['datastoreName', 'clientToken', 'tags', 'kmsKeyArn', 'lambdaAuthorizerArn', 'losslessStorageFormat'],
  },
  { method: 'GET', path: '/datastore', query: ['datastoreStatus', 'nextToken', 'maxResults'], body: [] },
  { method: 'GET', path: '/datastore/{ds}', query: [], body: [] },
  { method: 'DELETE', path: '/datastore/{ds}', query: [], body: [] },
  {
    method: 'POST',
    path: '/startDICOMImportJob/datastore/{ds}',
    query: [],
    body: ['jobName', 'dataAccessRoleArn', 'clientToken', 'inputS3Uri', 'outputS3Uri', 'inputOwnerAccountId'],
  },
  { method: 'GET', path: '/getDICOMImportJob/datastore/{ds}/job/{job}', query: [], body: [] },
  {
    method: 'GET',
    path: '/listDICOMImportJobs/datastore/{ds}',
    query: ['jobStatus', 'nextToken', 'maxResults'],
    body: [],
  },
  { method: 'POST', path: '/tags/{arn}', query: [], body: ['tags'] },
  { method: 'DELETE', path: '/tags/{arn}', query: ['tagKeys'], body: [] },
  { method: 'GET', path: '/tags/{arn}', query: [], body: [] },
  {
    method: 'POST',
    path: '/datastore/{ds}/searchImageSets',
    query: ['maxResults', 'nextToken'],
    body: ['filters', 'sort'],
  },
  { method: 'POST', path: '/datastore/{ds}/imageSet/{is}/getImageSet', query: ['version'], body: [] },
  { method: 'POST', path: '/datastore/{ds}/imageSet/{is}/getImageSetMetadata', query: ['version'], body: [] },
  { method: 'POST', path: '/datastore/{ds}/imageSet/{is}/getImageFrame', query: [], body: ['imageFrameId'] },
  {
    method: 'POST',
    path: '/datastore/{ds}/imageSet/{is}/listImageSetVersions',
    query: ['maxResults', 'nextToken'],
    body: [],
  },
  {
    method: 'POST',
    path: '/datastore/{ds}/imageSet/{is}/updateImageSetMetadata',
    query: ['latestVersion', 'force'],
    body: ['DICOMUpdates', 'revertToVersionId'],
  },
  {
    method: 'POST',
    path: '/datastore/{ds}/imageSet/{is}/copyImageSet',
    query: ['force', 'promoteToPrimary'],
    body: ['sourceImageSet', 'destinationImageSet'],
  },
  { method: 'POST', path: '/datastore/{ds}/imageSet/{is}/deleteImageSet', query: [], body: [] },
];

/** mulberry32: a small seeded generator, so a failing case can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MAX_BODY = 16 * 1024;
const PER_ROUTE = 20;

class Garbage {
  constructor(readonly random: () => number) {}

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('nothing to pick from');
    return item;
  }

  text(): string {
    const alphabets = [
      'abcdef0123456789',
      'ABCxyz-_.:/#',
      ' \t"\'\\{}[]<>%&?=+',
      'éß漢字🙂\u0000\u202e',
      '0123456789.',
    ];
    const alphabet = [...this.pick(alphabets)];
    const length = this.pick([0, 1, 31, 32, 33, 64, 300, 5000]);
    return Array.from({ length }, () => this.pick(alphabet)).join('');
  }

  /** At most `n` code points of garbage (never half a surrogate pair). */
  short(n: number): string {
    return [...this.text()].slice(0, n).join('');
  }

  value(depth = 0): unknown {
    switch (this.int(depth > 2 ? 6 : 8)) {
      case 0:
        return this.text();
      case 1:
        return this.pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1]);
      case 2:
        return this.random() < 0.5;
      case 3:
        return null;
      case 4:
        return this.pick(['1', '0', '-1', '00000001', 'true', 'EQUAL', 'BETWEEN', 'AAE=', 'eyJ9']);
      case 5:
        return this.pick(['', 'a'.repeat(32), '1.2.3', 's3://bucket/x', 'arn:aws:iam::123456789012:role/x']);
      case 6:
        return Array.from({ length: this.int(4) }, () => this.value(depth + 1));
      default: {
        const keys = [
          'operator',
          'values',
          'latestVersionId',
          'imageSetId',
          'DICOMCopies',
          'copiableAttributes',
          'updatableAttributes',
          'removableAttributes',
          'sortField',
          'sortOrder',
          'DICOMPatientId',
          'createdAt',
          this.text(),
        ];
        return Object.fromEntries(Array.from({ length: this.int(4) }, () => [this.pick(keys), this.value(depth + 1)]));
      }
    }
  }

  /** Mostly the valid label, so most requests get past routing into the handlers' own checks. */
  label(valid: string): string {
    if (this.random() < 0.7) return valid;
    switch (this.int(4)) {
      case 0:
        return valid.toUpperCase();
      case 1:
        return `${valid}%ZZ`; // a broken percent-escape
      case 2:
        return encodeURIComponent('../../etc/passwd');
      default:
        return encodeURIComponent(this.text()) || 'x';
    }
  }

  body(route: RouteSpec): Buffer | undefined {
    switch (this.int(9)) {
      case 0:
        return undefined;
      case 1:
        return Buffer.from(Array.from({ length: this.int(200) + 1 }, () => this.int(256)));
      case 2:
        return Buffer.from(
          this.pick(['{', '{"a":', 'null', '42', '"text"', '[1,2]', '{"a":1}}', '\u0000', '{"a":1,}']),
        );
      case 3:
        return Buffer.from('['.repeat(20_000) + ']'.repeat(20_000));
      case 4:
        return Buffer.alloc(MAX_BODY + 1 + this.int(1000), 0x7b);
      default: {
        const members = [...route.body, this.text()];
        const object = Object.fromEntries(members.filter(() => this.random() < 0.7).map((m) => [m, this.value()]));
        return Buffer.from(JSON.stringify(object));
      }
    }
  }

  /** The route's own query members usually present (often valid), plus strays. */
  query(route: RouteSpec): Record<string, string | string[]> {
    const names = [...route.query, 'maxResults', this.short(20) || 'q'];
    const out: Record<string, string | string[]> = {};
    for (const name of names) {
      const own = route.query.includes(name);
      if (this.random() < (own ? 0.2 : 0.6)) continue;
      if (own && this.random() < 0.5) {
        out[name] = this.pick(['1', '2', 'true', 'false']);
        continue;
      }
      out[name] =
        this.random() < 0.2
          ? [String(this.value()), String(this.value())]
          : String(
              this.pick([
                this.value(),
                '0',
                '1',
                '2',
                '50',
                '51',
                '-3',
                'true',
                'maybe',
                'ACTIVE',
                'eyJzIjoieCIsInAiOjB9',
                this.text(),
              ]),
            );
    }
    return out;
  }
}

const KNOWN_ERRORS = new Set(Object.keys(ERROR_STATUS));

/** A proper answer: a request id, never a 5xx, and for errors the restJson1 error shape. */
function expectProperAnswer(res: RawResponse, what: string): void {
  const summary = `${what} -> ${res.status} ${String(res.headers['x-amzn-errortype'] ?? '')}`;
  expect({ summary, serverError: res.status >= 500 || res.status < 200 }).toEqual({ summary, serverError: false });
  expect({
    summary,
    requestId: Boolean(res.headers['x-amzn-requestid']),
    body: res.body.toString('utf8').slice(0, 200),
  }).toMatchObject({ summary, requestId: true });
  if (res.status >= 400) {
    const type = String(res.headers['x-amzn-errortype']);
    expect({ summary, known: KNOWN_ERRORS.has(type) }).toEqual({ summary, known: true });
    expect(ERROR_STATUS[type as keyof typeof ERROR_STATUS]).toBe(res.status);
    const body = res.json();
    expect(typeof body.message).toBe('string');
    expect(String(body.message)).not.toMatch(/\n\s+at /);
  }
}

/** Sends raw bytes as they are (no signing, odd headers), for requests no SDK would form. */
function rawRequest(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: Number(target.port), method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: buf,
          json: () => JSON.parse(buf.toString('utf8')),
        });
      });
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

describe('HealthImaging Local under malformed input', () => {
  let t: TestHil;
  let datastoreId: string;
  let imageSetId: string;
  let untouchedImageSetId: string;
  const garbage = new Garbage(seeded(20230719));

  beforeAll(async () => {
    t = await startTestHil({ maxBodyBytes: MAX_BODY });
    const client = t.client();
    datastoreId = await createActiveDatastore(client, 'fuzz');
    [imageSetId, untouchedImageSetId] = atLeast(
      (await importSyntheticStudy(client, t.s3Dir, datastoreId, smallCtStudy, 'fuzz')).imageSetIds,
      2,
      'image sets',
    );
  });
  afterAll(async () => t.close());

  function pathFor(route: RouteSpec): string {
    const arn = `arn:aws:medical-imaging:us-east-1:123456789012:datastore/${datastoreId}`;
    return route.path
      .replace('{ds}', garbage.label(datastoreId))
      .replace('{is}', garbage.label(imageSetId))
      .replace('{job}', garbage.label('a'.repeat(32)))
      .replace('{arn}', garbage.label(encodeURIComponent(arn)));
  }

  it('answers every malformed request to every route with a proper, non-server error and keeps serving', async () => {
    let sent = 0;
    for (const route of ROUTES) {
      for (let i = 0; i < PER_ROUTE; i++) {
        const path = pathFor(route);
        const query = garbage.query(route);
        const body = garbage.body(route);
        const res = await send(t, { method: route.method, path, query, body });
        expectProperAnswer(res, `${route.method} ${path.slice(0, 80)} #${i}`);
        sent++;
      }
    }
    expect(sent).toBe(ROUTES.length * PER_ROUTE);

    // Unknown routes and methods, odd paths.
    for (let i = 0; i < 40; i++) {
      const method = garbage.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
      const path = `/${Array.from({ length: garbage.int(6) }, () => encodeURIComponent(garbage.short(40)) || 'x').join('/')}`;
      const res = await send(t, { method, path, body: garbage.body(present(ROUTES[0], 'a route')) });
      if (method !== 'HEAD') expectProperAnswer(res, `${method} ${path.slice(0, 80)}`);
    }

    // Broken authentication: no header, garbage, truncated or foreign signatures, bad dates.
    const authHeaders = [
      {},
      { authorization: 'garbage' },
      {
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAHILLOCAL00000000/20240101/us-east-1/medical-imaging/aws4_request, SignedHeaders=host, Signature=00',
      },
      {
        authorization: `AWS4-HMAC-SHA256 Credential=${encodeURIComponent(garbage.short(30))}/20240101/us-east-1/medical-imaging/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
        'x-amz-date': '20240101T000000Z',
      },
      {
        authorization: `AWS4-HMAC-SHA256 Credential=AKIAHILLOCAL00000000/20240101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
        'x-amz-date': 'not-a-date',
      },
    ];
    for (const headers of authHeaders) {
      const res = await rawRequest(t.url, 'GET', `/datastore/${datastoreId}`, headers);
      expectProperAnswer(res, `auth ${JSON.stringify(headers).slice(0, 60)}`);
      expect(res.status).toBe(403);
    }

    // Still alive and still correct (the fuzzed image set may legitimately have been deleted).
    const health = await rawRequest(t.url, 'GET', '/_hil/health', {});
    expect(health.status).toBe(200);
    const got = await t.client().send(new GetImageSetCommand({ datastoreId, imageSetId: untouchedImageSetId }));
    expect(got).toMatchObject({ imageSetId: untouchedImageSetId, versionId: '1', imageSetState: 'ACTIVE' });
  });

  it('answers a bounded run of 10,000 cases over every error class without a server error', async () => {
    const client = t.client();
    await createActiveDatastore(client, 'fuzz-2');
    // A bucket for the S3 cases to climb out of.
    mkdirSync(join(t.s3Dir, 'fuzz-bucket', 'in'), { recursive: true });
    const realTokens = [
      (await client.send(new ListDatastoresCommand({ maxResults: 1 }))).nextToken!,
      (await client.send(new ListDICOMImportJobsCommand({ datastoreId, maxResults: 1 }))).nextToken,
    ].filter((x): x is string => Boolean(x));
    expect(realTokens.length).toBeGreaterThan(0);
    const b64 = (text: string): string => Buffer.from(text).toString('base64');
    const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);

    /** One case of each class; every one returns what to send. */
    const classes: Array<() => FuzzRequest> = [
      () => {
        const route = garbage.pick(ROUTES);
        return { method: route.method, path: pathFor(route), query: garbage.query(route), body: garbage.body(route) };
      },
      () => {
        // A real token edited at one position, or a forged plain-JSON one.
        const token = garbage.pick(realTokens);
        const i = garbage.int(token.length);
        const edited =
          garbage.random() < 0.5
            ? token.slice(0, i) + garbage.pick(['A', '_', '.', '-']) + token.slice(i + 1)
            : Buffer.from(JSON.stringify({ s: 'ListDatastores', p: garbage.value() })).toString('base64url');
        const route = garbage.pick(ROUTES.filter((r) => r.query.includes('nextToken')));
        return { method: route.method, path: pathFor(route), query: { nextToken: edited } };
      },
      () => ({
        method: 'POST',
        path: `/datastore/${datastoreId}/imageSet/${imageSetId}/updateImageSetMetadata`,
        query: { latestVersion: '1' },
        body: JSON.stringify({
          DICOMUpdates: {
            updatableAttributes: b64(
              `{"SchemaVersion":1.1,"Study":{"DICOM":{"StudyDescription":${deep(65 + garbage.int(4000))}}}}`,
            ),
          },
        }),
      }),
      () => ({
        method: 'POST',
        path: `/datastore/${datastoreId}/imageSet/${imageSetId}/copyImageSet`,
        body: JSON.stringify({
          sourceImageSet: {
            latestVersionId: '1',
            DICOMCopies: { copiableAttributes: `{"Study":${deep(65 + garbage.int(4000))}}` },
          },
        }),
      }),
      () => {
        const route = garbage.pick(ROUTES.filter((r) => r.body.length > 0));
        return {
          method: route.method,
          path: pathFor(route),
          body: `{"${garbage.pick([...route.body, 'unknownMember'])}":${deep(65 + garbage.int(20_000))}}`,
        };
      },
      () => {
        const route = garbage.pick(ROUTES.filter((r) => r.query.length > 0 && r.query[0] !== 'tagKeys'));
        const name = garbage.pick(route.query);
        return {
          method: route.method,
          path: pathFor(route),
          query: { [name]: ['1', garbage.pick(['1', '2', 'true'])] },
        };
      },
      () => {
        const route = garbage.pick(ROUTES);
        const path = pathFor(route);
        const odd = garbage.pick([
          `${path}/`,
          `/${path}`,
          path.replace('/', '//'),
          `/x/..${path}`,
          `/%2e%2e${path}`,
          `${path}/.`,
          `/.${path}`,
        ]);
        return { method: route.method, path: odd };
      },
      () => ({
        method: garbage.pick(['GET', 'POST', 'DELETE', 'PUT']),
        path: `/_hil/${garbage.pick(['', 'x', '..', '%2e%2e/datastore', 'faults/x', 'health/'])}`,
      }),
      () => ({
        method: 'POST',
        path: `/startDICOMImportJob/datastore/${datastoreId}`,
        body: JSON.stringify({
          dataAccessRoleArn: 'arn:aws:iam::123456789012:role/x',
          clientToken: `fuzz-${garbage.int(1e9)}`,
          inputS3Uri: garbage.pick([
            's3://fuzz-bucket/..',
            's3://fuzz-bucket/../..',
            's3://fuzz-bucket/%2e%2e/',
            's3://no-bucket/x/',
            `s3://fuzz-bucket/${garbage.short(20)}`,
          ]),
          outputS3Uri: garbage.pick(['s3://no-bucket/out/', 's3://fuzz-bucket/../out/', 's3://fuzz-bucket//out/']),
        }),
      }),
    ];

    const TOTAL = 10_000;
    const CONCURRENCY = 8;
    const serverErrors: string[] = [];
    let next = 0;
    let answered = 0;
    const worker = async (): Promise<void> => {
      while (next < TOTAL) {
        const n = next++;
        const kind = n % classes.length;
        const c = present(classes[kind], 'a request class')();
        const res = await send(t, c);
        answered++;
        if (
          res.status >= 500 ||
          !res.headers['x-amzn-requestid'] ||
          (res.status >= 400 && !KNOWN_ERRORS.has(String(res.headers['x-amzn-errortype'])))
        ) {
          serverErrors.push(
            `#${n} class ${kind}: ${c.method} ${c.path.slice(0, 80)} -> ${res.status} ${String(res.headers['x-amzn-errortype'])}`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(answered).toBe(TOTAL);
    expect(serverErrors.slice(0, 10)).toEqual([]);

    const got = await t.client().send(new GetImageSetCommand({ datastoreId, imageSetId: untouchedImageSetId }));
    expect(got).toMatchObject({ imageSetId: untouchedImageSetId, imageSetState: 'ACTIVE' });
  }, 300_000);
});
