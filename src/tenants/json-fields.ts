/**
 * Reads fields out of untrusted JSON and records one issue per problem, each prefixed with the
 * field's path (`tenants[1].upstream.region: ...`), so an operator can fix the whole file in one go.
 */

export type JsonObject = Record<string, unknown>;

export class FieldIssues {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }
}

export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  return `a ${typeof value}`;
}

/** An object with only the listed keys; unknown keys are errors so that typos (`jwksURL`) cannot silently weaken the config. */
export function objectAt(
  value: unknown,
  path: string,
  issues: FieldIssues,
  allowedKeys: readonly string[],
): JsonObject | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    issues.add(path, `must be an object (got ${describeJson(value)})`);
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!allowedKeys.includes(key)) issues.add(`${path}.${key}`, `unknown field (allowed: ${allowedKeys.join(', ')})`);
  }
  return value as JsonObject;
}

export function arrayAt(
  value: unknown,
  path: string,
  issues: FieldIssues,
  opts: { minItems?: number } = {},
): unknown[] | undefined {
  if (!Array.isArray(value)) {
    issues.add(path, `must be an array (got ${describeJson(value)})`);
    return undefined;
  }
  if (opts.minItems !== undefined && value.length < opts.minItems) {
    issues.add(path, `must have at least ${opts.minItems} item${opts.minItems === 1 ? '' : 's'}`);
  }
  return value as unknown[];
}

export interface StringRule {
  pattern?: RegExp;
  /** What the pattern means, for the message ("32 lowercase letters or digits"). */
  patternHint?: string;
  minLength?: number;
  maxLength?: number;
  /** Secrets are never echoed back in messages. */
  secret?: boolean;
}

function quote(value: string, rule: StringRule): string {
  if (rule.secret) return '';
  const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  return ` (got ${JSON.stringify(shown)})`;
}

export function checkString(
  value: unknown,
  path: string,
  issues: FieldIssues,
  rule: StringRule = {},
): string | undefined {
  if (typeof value !== 'string') {
    issues.add(path, `must be a string (got ${describeJson(value)})`);
    return undefined;
  }
  const minLength = rule.minLength ?? 1;
  if (value.length < minLength) {
    issues.add(path, minLength === 1 ? 'must not be empty' : `must be at least ${minLength} characters`);
    return undefined;
  }
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    issues.add(path, `must be at most ${rule.maxLength} characters`);
    return undefined;
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    issues.add(path, `must be ${rule.patternHint ?? `a string matching ${rule.pattern.source}`}${quote(value, rule)}`);
    return undefined;
  }
  return value;
}

export function requiredString(
  obj: JsonObject,
  key: string,
  path: string,
  issues: FieldIssues,
  rule: StringRule = {},
): string | undefined {
  if (obj[key] === undefined) {
    issues.add(`${path}.${key}`, 'is required');
    return undefined;
  }
  return checkString(obj[key], `${path}.${key}`, issues, rule);
}

export function optionalString(
  obj: JsonObject,
  key: string,
  path: string,
  issues: FieldIssues,
  rule: StringRule = {},
): string | undefined {
  if (obj[key] === undefined) return undefined;
  return checkString(obj[key], `${path}.${key}`, issues, rule);
}

export function optionalInteger(
  obj: JsonObject,
  key: string,
  path: string,
  issues: FieldIssues,
  range: { min: number; max: number; fallback: number },
): number {
  const value = obj[key];
  if (value === undefined) return range.fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    issues.add(`${path}.${key}`, `must be an integer from ${range.min} to ${range.max} (got ${JSON.stringify(value)})`);
    return range.fallback;
  }
  return value;
}
