import { CONFIDENTIALITY_PROFILE, type ProfileAttribute } from './confidentiality-profile';
import type { PhiCategory } from './phi-category';

const byKeyword = new Map<string, ProfileAttribute>(CONFIDENTIALITY_PROFILE.map((row) => [row.keyword, row]));
const byTag = new Map<string, ProfileAttribute>(CONFIDENTIALITY_PROFILE.map((row) => [row.tag, row]));

const HEX_TAG = /^[0-9A-Fa-f]{8}$/;

/** The profile's row for a keyword (dcmjs's `RETIRED_` spelling accepted). */
export function profileAttributeByKeyword(keyword: string): ProfileAttribute | undefined {
  return byKeyword.get(keyword.startsWith('RETIRED_') ? keyword.slice(8) : keyword);
}

/** The profile's row for a tag written as 8 hex digits (any case) or `(gggg,eeee)`. */
export function profileAttributeByTag(tag: string): ProfileAttribute | undefined {
  return byTag.get(tag.replace(/[(),]/g, '').toUpperCase());
}

/** Curve data, overlay data and comments of the repeating groups, and private (odd-group) attributes. */
function patternCategory(tag: string): PhiCategory | undefined {
  const group = Number.parseInt(tag.slice(0, 4), 16);
  if (group % 2 === 1) return 'private';
  const high = tag.slice(0, 2);
  const element = tag.slice(4).toUpperCase();
  if (high === '50') return 'structured-content';
  if (high === '60' && element === '3000') return 'structured-content';
  if (high === '60' && element === '4000') return 'free-text';
  return undefined;
}

/**
 * UIDs (action U) stay visible. The profile replaces them with consistent pseudonyms rather than
 * removing them: they keep references intact and identify nobody by themselves. This API
 * addresses series and instances by them (`seriesInstanceUid` arguments, copy subsets, version
 * `changes`), HealthImaging searches by them, and withholding them would break every client
 * without protecting anyone. Attributes that combine U with X (Referenced/Source Image
 * Sequence) are sequences that may carry more than UIDs, and are withheld.
 */
function withheld(row: ProfileAttribute): PhiCategory | undefined {
  return row.action === 'U' ? undefined : row.category;
}

const memo = new Map<string, PhiCategory | null>();
const MEMO_LIMIT = 10_000;

/**
 * The PHI category of a metadata key (a DICOM keyword, or 8 hex digits for private and unknown
 * attributes) when the attribute is withheld from callers without `phi:read`; undefined when it
 * is not PHI under the profile (or is a retained UID).
 */
export function withheldCategoryOf(key: string): PhiCategory | undefined {
  const known = memo.get(key);
  if (known !== undefined) return known ?? undefined;
  let category: PhiCategory | undefined;
  const row = HEX_TAG.test(key) ? profileAttributeByTag(key) : profileAttributeByKeyword(key);
  if (row) category = withheld(row);
  else if (HEX_TAG.test(key)) category = patternCategory(key);
  // Keys come from documents and client input; the memo is bounded so input cannot grow it forever.
  if (memo.size < MEMO_LIMIT) memo.set(key, category ?? null);
  return category;
}
