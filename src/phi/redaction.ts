import type { PhiCategory } from './phi-category';
import { withheldCategoryOf } from './profile-lookup';

/** An attribute map as the profile sees it: its PHI categories, and the map without them. */
export interface Inspection {
  /** The categories of the withheld attributes present (at any depth); empty: no PHI. */
  readonly categories: readonly PhiCategory[];
  /** The map without them; the very same object when there was nothing to withhold. */
  readonly redacted: Record<string, unknown>;
}

type Attributes = Record<string, unknown>;

/**
 * Inspections per map object. A version's metadata document never changes, and loaders share
 * decoded documents, so each map is walked once for the life of the document, whatever the number
 * of requests and fields reading it.
 */
const inspections = new WeakMap<object, Inspection>();

const NOTHING: readonly PhiCategory[] = Object.freeze([]);

function isItem(value: unknown): value is Attributes {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sequence values are arrays of item maps; their items are redacted like any map. */
function inspectValue(value: unknown, found: Set<PhiCategory>): unknown {
  if (!Array.isArray(value)) return value;
  const list: unknown[] = value;
  if (!list.some(isItem)) return list;
  let changed = false;
  const items = list.map((item) => {
    if (!isItem(item)) return item;
    const inner = inspect(item);
    for (const category of inner.categories) found.add(category);
    if (inner.redacted !== item) changed = true;
    return inner.redacted;
  });
  return changed ? items : list;
}

export function inspect(attributes: Attributes): Inspection {
  const cached = inspections.get(attributes);
  if (cached) return cached;
  const found = new Set<PhiCategory>();
  let redacted: Attributes | undefined;
  for (const key of Object.keys(attributes)) {
    const category = withheldCategoryOf(key);
    if (category) {
      found.add(category);
      redacted ??= copyUntil(attributes, key);
      continue;
    }
    const value = attributes[key];
    const visible = inspectValue(value, found);
    if (visible !== value) redacted ??= copyUntil(attributes, key);
    if (redacted) redacted[key] = visible;
  }
  const inspection: Inspection = {
    categories: found.size === 0 ? NOTHING : Object.freeze([...found]),
    redacted: redacted ?? attributes,
  };
  inspections.set(attributes, inspection);
  return inspection;
}

/** A copy of the entries before `stop` (the first one that differs), in order. */
function copyUntil(attributes: Attributes, stop: string): Attributes {
  const copy: Attributes = {};
  for (const key of Object.keys(attributes)) {
    if (key === stop) break;
    copy[key] = attributes[key];
  }
  return copy;
}

/** A single value (e.g. one side of a version change) with withheld attributes of its sequence items removed. */
export function inspectSequenceValue(value: unknown): { value: unknown; categories: readonly PhiCategory[] } {
  const found = new Set<PhiCategory>();
  const visible = inspectValue(value, found);
  return { value: visible, categories: found.size === 0 ? NOTHING : [...found] };
}
