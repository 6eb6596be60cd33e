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
  it('writes one JSON object per line with time, level and event', () => {
    const { lines, logger } = capture('info');
    logger.info('upstream.call', { operation: 'GetImageSet', durationMs: 12, status: 200 });
    expect(lines).toEqual([
      {
        time: '2025-01-01T00:00:00.000Z',
        level: 'info',
        event: 'upstream.call',
        operation: 'GetImageSet',
        durationMs: 12,
        status: 200,
      },
    ]);
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

  it('adds child bindings to every line', () => {
    const { lines, logger } = capture('info');
    logger.child({ requestId: 'req-1', tenantId: 'acme' }).info('done', { durationMs: 5 });
    expect(lines[0]).toMatchObject({ requestId: 'req-1', tenantId: 'acme', durationMs: 5 });
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
      origin: expect.stringMatching(/^test\/unit\/errors\/safe-log\.test\.ts:\d+:\d+$/),
    });
    expect(JSON.stringify(described)).not.toContain('Doe');
  });

  it('reads no frame out of a multi-line message that imitates one', () => {
    const error = new Error('Doe^John\n    at Doe^John (/patients/Doe^John.ts:1:1)');
    const described = describeError(error);
    expect(described.origin).toMatch(/^test\/unit\/errors\/safe-log\.test\.ts:\d+:\d+$/);
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
