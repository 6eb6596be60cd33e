import { ServiceError } from '../shapes/errors';
import { OPERATION_NAMES } from './routes';
import type { OperationName } from '../shapes/operation-names';

/**
 * Per-operation fault injection, for testing clients against a misbehaving service:
 * `throttle` (429 ThrottlingException), `error` (500 InternalServerException), `latency` (answer
 * late) and `hang` (never answer until the server closes). `count` limits how many calls the
 * fault hits; without it the fault stays until cleared.
 */
export type FaultMode = 'throttle' | 'error' | 'latency' | 'hang';

export interface FaultSpec {
  operation: OperationName | '*';
  mode: FaultMode;
  latencyMs?: number;
  count?: number;
}

const MODES: readonly FaultMode[] = ['throttle', 'error', 'latency', 'hang'];

/** `OperationName=throttle|error|latency:200|hang[:count]`; `*` targets every operation. */
export function parseFaultSpec(text: string): FaultSpec {
  const m = /^([A-Za-z*]+)=([a-z]+)((?::\d+){0,2})$/.exec(text.trim());
  if (!m) throw new Error(`invalid fault "${text}": expected Operation=throttle|error|latency:MS|hang[:count]`);
  const numbers = m[3] ? m[3].slice(1).split(':').map(Number) : [];
  return validateFault({
    operation: m[1] as OperationName | '*',
    mode: m[2] as FaultMode,
    ...(m[2] === 'latency' ? { latencyMs: numbers[0], count: numbers[1] } : { count: numbers[0] }),
  });
}

export function validateFault(input: unknown): FaultSpec {
  const spec = input as Partial<FaultSpec>;
  if (!spec || typeof spec !== 'object') throw new Error('a fault must be an object');
  if (spec.operation !== '*' && !OPERATION_NAMES.includes(spec.operation as OperationName)) {
    throw new Error(`unknown operation "${String(spec.operation)}"`);
  }
  if (!MODES.includes(spec.mode as FaultMode)) throw new Error(`unknown fault mode "${String(spec.mode)}"`);
  const { latencyMs, count } = spec;
  const latencyValid = typeof latencyMs === 'number' && Number.isInteger(latencyMs) && latencyMs >= 0;
  if (spec.mode === 'latency' && !latencyValid) throw new Error('a latency fault needs latencyMs >= 0');
  if (count !== undefined && !(Number.isInteger(count) && count > 0)) {
    throw new Error('count must be a positive integer');
  }
  const out: FaultSpec = { operation: spec.operation as FaultSpec['operation'], mode: spec.mode as FaultMode };
  if (spec.mode === 'latency' && latencyValid) out.latencyMs = latencyMs;
  if (count !== undefined) out.count = count;
  return out;
}

export type FaultEffect =
  { kind: 'none' } | { kind: 'delay'; ms: number } | { kind: 'hang' } | { kind: 'fail'; error: ServiceError };

export class FaultController {
  private readonly faults = new Map<string, FaultSpec>();

  constructor(initial: FaultSpec[] = []) {
    for (const f of initial) this.set(f);
  }

  set(spec: FaultSpec): void {
    const valid = validateFault(spec);
    this.faults.set(valid.operation, valid);
  }

  clear(operation?: OperationName | '*'): void {
    if (operation === undefined) this.faults.clear();
    else this.faults.delete(operation);
  }

  list(): FaultSpec[] {
    return [...this.faults.values()].map((f) => ({ ...f }));
  }

  /** The fault this call suffers (consuming one of its `count`), if any. */
  take(operation: OperationName): FaultEffect {
    const key = this.faults.has(operation) ? operation : '*';
    const spec = this.faults.get(key);
    if (!spec) return { kind: 'none' };
    if (spec.count !== undefined) {
      spec.count -= 1;
      if (spec.count <= 0) this.faults.delete(key);
    }
    switch (spec.mode) {
      case 'throttle':
        return { kind: 'fail', error: new ServiceError('ThrottlingException', 'Rate exceeded') };
      case 'error':
        return {
          kind: 'fail',
          error: new ServiceError('InternalServerException', 'An internal error occurred (injected fault)'),
        };
      case 'latency':
        return { kind: 'delay', ms: spec.latencyMs ?? 0 };
      case 'hang':
        return { kind: 'hang' };
    }
  }
}
