import { hostname } from 'node:os';
import { describeConfig, loadConfig } from '../../../src/config';
import { createLogger, describeError, redactFields } from '../../../src/logging/logger';

function capture(level: Parameters<typeof createLogger>[0]['level']) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level,
    write: (line) => lines.push(JSON.parse(line)),
    now: () => new Date('2025-01-01T00:00:00Z'),
  });
  return { lines, logger };
}

describe('createLogger', () => {
  it("writes one JSON object per line with pino's level, time and msg, and the event", () => {
    const written: string[] = [];
    const logger = createLogger({
      level: 'info',
      write: (line) => written.push(line),
      now: () => new Date('2025-01-01T00:00:00Z'),
    });
    logger.info('upstream.call', { operation: 'GetImageSet', durationMs: 12, status: 200 });
    expect(written).toHaveLength(1);
    expect(written[0]).not.toContain('\n');
    expect(JSON.parse(written[0] ?? '')).toEqual({
      level: 'info',
      time: '2025-01-01T00:00:00.000Z',
      pid: process.pid,
      hostname: hostname(),
      msg: 'upstream.call',
      event: 'upstream.call',
      operation: 'GetImageSet',
      durationMs: 12,
      status: 200,
    });
  });

  it('drops lines below its level and writes nothing when silent', () => {
    const info = capture('warn');
    info.logger.debug('a');
    info.logger.info('b');
    info.logger.warn('c');
    info.logger.error('d');
    expect(info.lines.map((line) => line.event)).toEqual(['c', 'd']);
    const silent = capture('silent');
    silent.logger.error('e');
    expect(silent.lines).toEqual([]);
  });

  it('redacts fields outside the whitelist and structured values inside it', () => {
    const { lines, logger } = capture('debug');
    logger.info('search', {
      patientName: 'Doe^John',
      count: 3,
      keys: ['a', { patientName: 'Doe^John' }],
      requestId: { nested: true },
    });
    expect(lines[0]).toMatchObject({
      patientName: '[redacted]',
      count: 3,
      keys: ['a', '[redacted]'],
      requestId: '[redacted]',
    });
    expect(JSON.stringify(lines)).not.toContain('Doe');
  });

  it('adds child bindings to every line, redacted like fields', () => {
    const { lines, logger } = capture('info');
    const child = logger.child({ requestId: 'req-1', tenantId: 'acme', patientId: 'PAT-1' });
    child.child({ subject: 'alice' }).info('done', { durationMs: 5 });
    expect(lines[0]).toMatchObject({
      requestId: 'req-1',
      tenantId: 'acme',
      subject: 'alice',
      patientId: '[redacted]',
      durationMs: 5,
    });
    expect(JSON.stringify(lines)).not.toContain('PAT-1');
  });

  it("writes each field once, the line's own value over a binding", () => {
    const written: string[] = [];
    const logger = createLogger({ level: 'info', write: (line) => written.push(line) });
    logger.child({ requestId: 'req-1', status: 200 }).info('done', { status: 404 });
    expect(written[0]?.match(/"status"/g)).toHaveLength(1);
    expect(written[0]?.match(/"requestId"/g)).toHaveLength(1);
    expect(JSON.parse(written[0] ?? '')).toMatchObject({ requestId: 'req-1', status: 404 });
  });

  it('cannot be made to write another message or level through its fields', () => {
    const { lines, logger } = capture('info');
    logger.info('done', { msg: 'Doe^John', level: 'Doe^John', event: 'Doe^John', time: 'Doe^John' });
    expect(lines[0]).toMatchObject({ msg: 'done', event: 'done', level: 'info', time: '2025-01-01T00:00:00.000Z' });
    expect(JSON.stringify(lines)).not.toContain('Doe');
  });

  it('survives a failing sink', () => {
    const logger = createLogger({
      level: 'info',
      write: () => {
        throw new Error('disk full');
      },
    });
    expect(() => logger.error('x')).not.toThrow();
  });
});

describe('redactFields', () => {
  it('truncates long strings and long arrays', () => {
    const redacted = redactFields({ url: 'x'.repeat(400), keys: Array.from({ length: 25 }, (_, i) => i) });
    expect((redacted.url as string).length).toBe(301);
    expect(redacted.keys).toHaveLength(21);
  });
});

describe('describeError', () => {
  it('gives the class name, the code and where it was thrown, never the message nor a stack trace', () => {
    const error = Object.assign(new SyntaxError('Unexpected token \'D\', "Doe^John" is not valid JSON'), {
      code: 'E_PARSE',
    });
    const described = describeError(error);
    expect(described).toEqual({
      errorName: 'SyntaxError',
      errorCode: 'E_PARSE',
      origin: expect.stringMatching(/^test\/unit\/logging\/logger\.test\.ts:\d+:\d+$/),
    });
    expect(JSON.stringify(described)).not.toContain('Doe');
  });

  it('reads no frame out of a multi-line message that imitates one', () => {
    const error = new Error('Doe^John\n    at Doe^John (/patients/Doe^John.ts:1:1)');
    const described = describeError(error);
    expect(described.origin).toMatch(/^test\/unit\/logging\/logger\.test\.ts:\d+:\d+$/);
    expect(JSON.stringify(described)).not.toContain('Doe');
  });

  it('gives no origin when the stack does not start with the error itself', () => {
    const error = new Error('Doe^John');
    error.stack = 'Doe^John\n    at Doe^John (/x/Doe.ts:1:1)';
    Object.defineProperty(error, 'message', { value: 'another message' });
    expect(describeError(error)).toEqual({ errorName: 'Error' });
  });

  it('describes non-errors by their type', () => {
    expect(describeError('Doe^John')).toEqual({ errorName: 'string' });
  });
});

describe('createLogger with the start-up configuration', () => {
  it('writes the described configuration but never the cursor secret', () => {
    const secret = 'startup-log-secret-0123456789abcdefghijklmn';
    const { lines, logger } = capture('info');
    logger.info(
      'gateway.config',
      describeConfig(loadConfig({ NODE_ENV: 'production', TENANTS_FILE: '/etc/t.json', CURSOR_SECRET: secret })),
    );
    expect(lines[0]).toMatchObject({
      environment: 'production',
      port: 4000,
      tenantsFile: '/etc/t.json',
      corsOrigins: [],
      cursorSecret: '[redacted]',
    });
    expect(JSON.stringify(lines)).not.toContain(secret);
  });
});
