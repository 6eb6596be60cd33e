import type { ImageSetFacts } from '../types/image-set.type';
import type { KnownFacts } from '../types/known-facts';
import type { ImageSetChange } from './image-set-change';

/**
 * An `ImageSetChange` as it travels between replicas (JSON over Redis pub/sub). A fact known to
 * be absent travels as null, so "known to be undefined" survives JSON; dates travel as ISO
 * strings. Anything that does not have this exact shape is dropped on receipt: the channel is
 * shared by every replica, and a malformed message must not reach a subscriber.
 */

export interface WireMessage {
  /** The replica that sent it (a replica ignores its own messages). */
  origin: string;
  change: ImageSetChange;
}

const STRING_FACTS = ['latestVersionId', 'state', 'workflowStatus', 'message', 'arn'] as const;
const DATE_FACTS = ['createdAt', 'updatedAt', 'deletedAt'] as const;
const BOOLEAN_FACTS = ['forced', 'isPrimary'] as const;
const TENANT_ID = /^[A-Za-z0-9_.-]{1,128}$/;
const RESOURCE_ID = /^[0-9a-z]{32}$/;
const MAX_MESSAGE_LENGTH = 16 * 1024;

export function encodeChange(origin: string, change: ImageSetChange): string {
  const facts: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(change.facts)) {
    facts[key] = value instanceof Date ? value.toISOString() : (value ?? null);
  }
  return JSON.stringify({ origin, change: { ...change, facts } });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeFacts(raw: Record<string, unknown>): KnownFacts<ImageSetFacts> | undefined {
  const facts: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if ((STRING_FACTS as readonly string[]).includes(key)) {
      if (value !== null && (typeof value !== 'string' || value.length > 2048)) return undefined;
      facts[key] = value ?? undefined;
    } else if ((DATE_FACTS as readonly string[]).includes(key)) {
      if (value === null) facts[key] = undefined;
      else if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) facts[key] = new Date(value);
      else return undefined;
    } else if ((BOOLEAN_FACTS as readonly string[]).includes(key)) {
      if (value !== null && typeof value !== 'boolean') return undefined;
      facts[key] = value ?? undefined;
    } else {
      return undefined;
    }
  }
  return facts;
}

/** The message, or undefined when it is not one (any deviation from the shape above). */
export function decodeChange(text: string): WireMessage | undefined {
  if (text.length > MAX_MESSAGE_LENGTH) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || typeof parsed.origin !== 'string' || !isRecord(parsed.change)) return undefined;
  const { tenantId, datastoreId, imageSetId, facts } = parsed.change;
  if (typeof tenantId !== 'string' || !TENANT_ID.test(tenantId)) return undefined;
  if (typeof datastoreId !== 'string' || !RESOURCE_ID.test(datastoreId)) return undefined;
  if (typeof imageSetId !== 'string' || !RESOURCE_ID.test(imageSetId)) return undefined;
  if (!isRecord(facts)) return undefined;
  const decoded = decodeFacts(facts);
  if (!decoded) return undefined;
  return { origin: parsed.origin, change: { tenantId, datastoreId, imageSetId, facts: decoded } };
}
