import { setTimeout as sleep } from 'node:timers/promises';
import { addLogContext, currentLogContext, runWithLogContext } from '../../../src/logging/log-context';
import { createLogger } from '../../../src/logging/logger';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line)) });
  return { lines, logger };
}

describe('request log context', () => {
  it("puts the request's fields on every line any logger writes while serving it", async () => {
    const { lines, logger } = capture();
    await runWithLogContext({ requestId: 'req-1' }, async () => {
      logger.info('http.received');
      addLogContext({ tenantId: 'acme', subject: 'alice@acme.test' });
      await sleep(1);
      addLogContext({ operationName: 'Viewer', operationType: 'query' });
      logger.debug('upstream.call', { operation: 'GetImageSet' });
    });
    logger.info('gateway.idle');
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'http.received', requestId: 'req-1' }),
      expect.objectContaining({
        msg: 'upstream.call',
        requestId: 'req-1',
        tenantId: 'acme',
        subject: 'alice@acme.test',
        operationName: 'Viewer',
        operationType: 'query',
        operation: 'GetImageSet',
      }),
      expect.not.objectContaining({ requestId: expect.anything() }),
    ]);
    expect(lines[0]).not.toHaveProperty('tenantId');
  });

  it('keeps concurrent requests apart', async () => {
    const { lines, logger } = capture();
    const serve = (requestId: string, tenantId: string, delayMs: number) =>
      runWithLogContext({ requestId }, async () => {
        addLogContext({ tenantId });
        await sleep(delayMs);
        logger.info('done');
      });
    await Promise.all([serve('req-a', 'acme', 5), serve('req-b', 'globex', 1)]);
    expect(lines.map(({ requestId, tenantId }) => `${String(requestId)}:${String(tenantId)}`).sort()).toEqual([
      'req-a:acme',
      'req-b:globex',
    ]);
  });

  it('redacts context fields outside the allow-list, and a child binding wins over the context', () => {
    const { lines, logger } = capture();
    runWithLogContext({ requestId: 'req-1', patientName: 'Doe^John' }, () =>
      logger.child({ requestId: 'req-1' }).info('done'),
    );
    expect(lines[0]).toMatchObject({ requestId: 'req-1', patientName: '[redacted]' });
    expect(JSON.stringify(lines)).not.toContain('Doe');
  });

  it('does nothing outside a request', () => {
    addLogContext({ tenantId: 'acme' });
    expect(currentLogContext()).toBeUndefined();
  });
});
