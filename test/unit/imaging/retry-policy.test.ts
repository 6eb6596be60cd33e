import { InternalServerException, ThrottlingException, ValidationException } from '@aws-sdk/client-medical-imaging';
import {
  backoffDelayMs,
  isRetryableRead,
  runRead,
  runWrite,
  writeFailureDecision,
  type RetryRuntime,
} from '../../../src/imaging/upstream/retry-policy';
import type { UpstreamErrorKind } from '../../../src/imaging/upstream/upstream-errors';

const $metadata = { httpStatusCode: 0 };
const throttled = () => new ThrottlingException({ message: 'slow down', $metadata: { httpStatusCode: 429 } });
const serverError = () => new InternalServerException({ message: 'oops', $metadata: { httpStatusCode: 500 } });
const invalid = () => new ValidationException({ message: 'bad', $metadata: { httpStatusCode: 400 } });
const timeout = () => Object.assign(new Error('timed out'), { name: 'TimeoutError', $metadata });
const refused = () => Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });

function recordingRuntime(): RetryRuntime & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    backoff: { baseDelayMs: 100, maxDelayMs: 1000 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  };
}

/** A call that fails with the given errors in turn, then succeeds; counts its invocations. */
function scripted(errors: Array<() => unknown>) {
  const state = { calls: 0 };
  const call = async (): Promise<string> => {
    state.calls += 1;
    const next = errors[state.calls - 1];
    if (next) throw next();
    return 'done';
  };
  return { state, call };
}

describe('backoffDelayMs', () => {
  it('grows exponentially from the base and never exceeds the cap', () => {
    const options = { baseDelayMs: 100, maxDelayMs: 1000 };
    const almostOne = () => 0.999999;
    expect(backoffDelayMs(0, options, almostOne)).toBe(99);
    expect(backoffDelayMs(2, options, almostOne)).toBe(399);
    expect(backoffDelayMs(10, options, almostOne)).toBe(999);
  });

  it('draws the wait uniformly below the ceiling (full jitter)', () => {
    expect(backoffDelayMs(1, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 0)).toBe(0);
    expect(backoffDelayMs(1, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 0.5)).toBe(100);
  });
});

describe('isRetryableRead', () => {
  it.each<[UpstreamErrorKind, boolean]>([
    ['throttled', true],
    ['server', true],
    ['timeout', true],
    ['network', true],
    ['unsent', true],
    ['not-found', false],
    ['conflict', false],
    ['validation', false],
    ['quota', false],
    ['access', false],
    ['unknown', false],
  ])('treats %s as retryable: %s', (kind, expected) => {
    expect(isRetryableRead(kind)).toBe(expected);
  });
});

describe('writeFailureDecision', () => {
  it.each<[UpstreamErrorKind, string]>([
    ['throttled', 'retry'],
    ['unsent', 'retry'],
    ['server', 'reconcile'],
    ['timeout', 'reconcile'],
    ['network', 'reconcile'],
    ['unknown', 'reconcile'],
    ['not-found', 'fail'],
    ['conflict', 'fail'],
    ['validation', 'fail'],
    ['quota', 'fail'],
    ['access', 'fail'],
  ])('decides %s -> %s', (kind, decision) => {
    expect(writeFailureDecision(kind)).toBe(decision);
  });
});

describe('runRead', () => {
  it('retries throttling, 5xx and timeouts until the call succeeds', async () => {
    const runtime = recordingRuntime();
    const { state, call } = scripted([throttled, serverError, timeout]);
    await expect(runRead(call, 4, runtime)).resolves.toBe('done');
    expect(state.calls).toBe(4);
    expect(runtime.sleeps).toEqual([50, 100, 200]);
  });

  it('stops after maxAttempts calls and rethrows the last error unchanged', async () => {
    const runtime = recordingRuntime();
    const last = throttled();
    const { state, call } = scripted([throttled, throttled, () => last]);
    await expect(runRead(call, 3, runtime)).rejects.toBe(last);
    expect(state.calls).toBe(3);
  });

  it('does not retry a definite client error', async () => {
    const { state, call } = scripted([invalid]);
    await expect(runRead(call, 5, recordingRuntime())).rejects.toBeInstanceOf(ValidationException);
    expect(state.calls).toBe(1);
  });
});

describe('runWrite', () => {
  it('resends a throttled write, which the upstream proves it did not apply', async () => {
    const { state, call } = scripted([throttled, throttled]);
    await expect(runWrite(call, 3, recordingRuntime())).resolves.toEqual({ ok: true, value: 'done' });
    expect(state.calls).toBe(3);
  });

  it('resends a write whose connection was refused', async () => {
    const { state, call } = scripted([refused]);
    await expect(runWrite(call, 3, recordingRuntime())).resolves.toEqual({ ok: true, value: 'done' });
    expect(state.calls).toBe(2);
  });

  it('never resends after a 5xx and asks for reconciliation', async () => {
    const { state, call } = scripted([serverError]);
    const outcome = await runWrite(call, 3, recordingRuntime());
    expect(outcome).toMatchObject({ ok: false, decision: 'reconcile' });
    expect(state.calls).toBe(1);
  });

  it('never resends after a timeout and asks for reconciliation', async () => {
    const { state, call } = scripted([timeout]);
    const outcome = await runWrite(call, 3, recordingRuntime());
    expect(outcome).toMatchObject({ ok: false, decision: 'reconcile' });
    expect(state.calls).toBe(1);
  });

  it('reports a definite failure without retrying', async () => {
    const { state, call } = scripted([invalid]);
    expect(await runWrite(call, 3, recordingRuntime())).toMatchObject({ ok: false, decision: 'fail' });
    expect(state.calls).toBe(1);
  });

  it('gives up on throttling after the attempts are spent, as a definite failure', async () => {
    const { state, call } = scripted([throttled, throttled, throttled]);
    const outcome = await runWrite(call, 3, recordingRuntime());
    expect(outcome).toMatchObject({ ok: false, decision: 'fail' });
    expect(state.calls).toBe(3);
  });
});
