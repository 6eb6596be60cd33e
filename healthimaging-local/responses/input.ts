import { validation } from '../shapes/errors';
import { parseBoundedJson } from '../shapes/json-limits';
import { RESOURCE_ID_PATTERN } from '../shapes/ids';
import type { RequestContext } from './handler';

/** Input checks shared by the handlers; every violation is a 400 ValidationException. */

export type JsonObject = Record<string, unknown>;

export function jsonBody(ctx: RequestContext): JsonObject {
  if (ctx.body.length === 0) return {};
  const parsed = parseBoundedJson(ctx.body.toString('utf8'), 'The request body', 'The request body is not valid JSON');
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw validation('The request body must be a JSON object');
  }
  return parsed as JsonObject;
}

export function objectMember(body: JsonObject, name: string, required: true): JsonObject;
export function objectMember(body: JsonObject, name: string, required?: false): JsonObject | undefined;
export function objectMember(body: JsonObject, name: string, required = false): JsonObject | undefined {
  const v = body[name];
  if (v === undefined || v === null) {
    if (required) throw validation(`${name} is required`);
    return undefined;
  }
  if (typeof v !== 'object' || Array.isArray(v)) throw validation(`${name} must be an object`);
  return v as JsonObject;
}

export interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
}

export function stringMember(body: JsonObject, name: string, required: true, rule?: StringRule): string;
export function stringMember(body: JsonObject, name: string, required?: false, rule?: StringRule): string | undefined;
export function stringMember(
  body: JsonObject,
  name: string,
  required = false,
  rule: StringRule = {},
): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) {
    if (required) throw validation(`${name} is required`);
    return undefined;
  }
  if (typeof v !== 'string') throw validation(`${name} must be a string`);
  return checkString(name, v, rule);
}

export function checkString(name: string, v: string, rule: StringRule): string {
  const min = rule.min ?? 0;
  if (v.length < min || (rule.max !== undefined && v.length > rule.max)) {
    throw validation(`${name} must be ${min} to ${rule.max ?? 'any'} characters long`);
  }
  if (rule.pattern && !rule.pattern.test(v)) throw validation(`${name} does not match the required pattern`);
  return v;
}

export function resourceId(name: string, v: string | undefined): string {
  if (v === undefined || !RESOURCE_ID_PATTERN.test(v)) throw validation(`${name} must match [0-9a-z]{32}`);
  return v;
}

const VERSION_PATTERN = /^\d{1,9}$/;

export function versionNumber(name: string, v: unknown): number {
  if (typeof v !== 'string' || !VERSION_PATTERN.test(v))
    throw validation(`${name} must be a version number such as "1"`);
  const n = Number(v);
  if (n < 1) throw validation(`${name} must be a version number such as "1"`);
  return n;
}

export function queryVersion(ctx: RequestContext, name: string, required: true): number;
export function queryVersion(ctx: RequestContext, name: string, required?: false): number | undefined;
export function queryVersion(ctx: RequestContext, name: string, required = false): number | undefined {
  const v = ctx.query.get(name);
  if (v === null) {
    if (required) throw validation(`${name} is required`);
    return undefined;
  }
  return versionNumber(name, v);
}

export function queryBoolean(ctx: RequestContext, name: string): boolean {
  const v = ctx.query.get(name);
  if (v === null) return false;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw validation(`${name} must be true or false`);
}

export function queryMaxResults(ctx: RequestContext, max = 50): number {
  const v = ctx.query.get('maxResults');
  if (v === null) return max;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) throw validation(`maxResults must be between 1 and ${max}`);
  return Number(v);
}

export function queryString(ctx: RequestContext, name: string): string | undefined {
  return ctx.query.get(name) ?? undefined;
}

export function enumValue<T extends string>(name: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw validation(`${name} must be one of ${allowed.join(', ')}`);
  return v as T;
}

// The model pattern verbatim: `+-=` is a character range (it admits digits and `,;<`).
export const TAG_KEY_PATTERN = /^(?!aws:)[a-zA-Z+-=._:/]+$/;

export function tagMap(name: string, v: unknown): Record<string, string> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw validation(`${name} must be a map of strings`);
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v as JsonObject)) {
    checkString('tag key', k, { min: 1, max: 128, pattern: TAG_KEY_PATTERN });
    if (typeof value !== 'string') throw validation('tag values must be strings');
    checkString('tag value', value, { max: 256 });
    out[k] = value;
  }
  return out;
}
