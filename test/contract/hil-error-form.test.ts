import { connect } from 'node:net';
import { startTestHil, type TestHil } from '../support/hil-client';
import { pollUntil } from '../support/hil-wait';

/**
 * Every answer of the API port takes AWS's error form (status, `x-amzn-ErrorType`, a JSON body
 * with `__type`), including requests node:http treats specially (CONNECT, unknown methods) and
 * the admin prefix's unknown paths. Raw sockets, since no HTTP client sends most of these.
 */
interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function raw(url: string, head: string, body = '', { endAfterWrite = false } = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [headText = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = headText.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.write(
      `${head}\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n${body ? `Content-Length: ${Buffer.byteLength(body)}\r\n` : ''}\r\n${body}`,
    );
    if (endAfterWrite) socket.end();
  });
}

function expectAwsError(answer: RawAnswer, status: number, type: string): void {
  expect({ status: answer.status, type: answer.headers['x-amzn-errortype'] }).toEqual({ status, type });
  expect(answer.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  const body = JSON.parse(answer.body) as { message: unknown; __type: unknown };
  expect(body.__type).toBe(`com.amazonaws.medicalimaging#${type}`);
  expect(typeof body.message).toBe('string');
}

describe('HealthImaging Local error form on every answer', () => {
  let t: TestHil;
  const logged: string[] = [];

  beforeAll(async () => {
    t = await startTestHil({ log: (line) => logged.push(line) });
  });
  afterAll(async () => t.close());

  it('answers CONNECT with UnknownOperationException instead of dropping the socket', async () => {
    expectAwsError(await raw(t.url, 'CONNECT example.com:443 HTTP/1.1'), 404, 'UnknownOperationException');
  });

  it('answers methods no route has, and methods HTTP does not know, in the error form', async () => {
    expectAwsError(await raw(t.url, 'OPTIONS /datastore HTTP/1.1'), 404, 'UnknownOperationException');
    expectAwsError(await raw(t.url, 'PATCH /datastore HTTP/1.1'), 404, 'UnknownOperationException');
    expectAwsError(await raw(t.url, 'FROB /datastore HTTP/1.1'), 400, 'ValidationException');
  });

  it.each(['/_hil/nothing', '/_hil/../datastore', '/_hil/%2e%2e/datastore', '/_hil/', '/_hil/health/'])(
    'answers the unknown admin path %s with UnknownOperationException',
    async (path) => {
      expectAwsError(await raw(t.url, `GET ${path} HTTP/1.1`), 404, 'UnknownOperationException');
    },
  );

  it('answers a bad admin body in the error form', async () => {
    expectAwsError(await raw(t.url, 'POST /_hil/rate-limits HTTP/1.1', '{"spec":'), 400, 'ValidationException');
    expectAwsError(
      await raw(t.url, 'POST /_hil/faults HTTP/1.1', `[${'['.repeat(5000)}${']'.repeat(5000)}]`),
      400,
      'ValidationException',
    );
  });

  it.each([
    '/datastore/',
    '//datastore',
    '/./datastore',
    '/datastore/.',
    '/%2e/datastore',
    '/x/../datastore',
    '/x/%2E%2E/datastore',
  ])('matches paths exactly: %s names no operation', async (path) => {
    expectAwsError(await raw(t.url, `GET ${path} HTTP/1.1`), 404, 'UnknownOperationException');
  });

  it('refuses a query parameter given twice instead of taking the first', async () => {
    const answer = await raw(t.url, 'GET /datastore?maxResults=1&maxResults=50 HTTP/1.1');
    expectAwsError(answer, 400, 'ValidationException');
    expect(answer.body).toContain('maxResults is given more than once');
  });

  it('logs a client that disconnects mid-body as a disconnect, not an internal error', async () => {
    logged.length = 0;
    const { hostname, port } = new URL(t.url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // The server's "100 Continue" shows the request reached it before the client goes away.
    const continued = new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.write(
      `POST /datastore HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n`,
    );
    await continued;
    socket.write('{"datastoreName":');
    socket.destroy();
    const line = await pollUntil('the disconnect to be logged', async () =>
      logged.find((l) => l.includes('disconnected')),
    );
    expect(line).toBe('client disconnected before its POST request body was complete');
    expect(logged.filter((l) => l.includes('internal error'))).toEqual([]);
  });
});
