import { validation } from './errors';

/**
 * Nesting limit of every JSON document the server reads (request bodies, decoded update
 * documents, copy selections). JSON.parse itself copes with deep nesting, but everything that
 * walks the result afterwards (fingerprints, validation, JSON.stringify) recurses, and a few
 * thousand levels within the size quotas would end in a RangeError. No document of the API
 * comes near this depth: the deepest, a metadata document with nested sequences, stays far
 * under it.
 */
export const MAX_JSON_DEPTH = 64;

/** The deepest nesting of objects and arrays in `text`, stopping early past `limit`. */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/**
 * JSON.parse with the depth limit: `what` names the document in the ValidationException.
 * Syntax errors answer `invalidMessage`.
 */
export function parseBoundedJson(text: string, what: string, invalidMessage: string): unknown {
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw validation(`${what} nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw validation(invalidMessage);
  }
}
