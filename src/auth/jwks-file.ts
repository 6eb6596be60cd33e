import { readFileSync } from 'node:fs';
import type { JSONWebKeySet } from 'jose';

/** Members that only private or symmetric keys have: a verification key set must not hold secrets. */
const SECRET_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;
const PUBLIC_KEY_TYPES = ['RSA', 'EC', 'OKP'] as const;

/**
 * Reads and checks a local JWKS file (`{ "keys": [...] }` of public keys). Throws an `Error`
 * whose message says what is wrong (the caller prefixes the field path).
 */
export function readJwksFile(filePath: string): JSONWebKeySet {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`cannot read JWKS file ${filePath}${code ? ` (${code})` : ''}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`JWKS file ${filePath} is not valid JSON`);
  }
  return checkJwks(json, filePath);
}

export function checkJwks(json: unknown, source: string): JSONWebKeySet {
  const keys = (json as { keys?: unknown } | null)?.keys;
  if (json === null || typeof json !== 'object' || !Array.isArray(keys) || keys.length === 0) {
    throw new Error(`JWKS ${source} must be an object with a non-empty "keys" array`);
  }
  keys.forEach((key: unknown, index) => {
    if (key === null || typeof key !== 'object' || Array.isArray(key))
      throw new Error(`JWKS ${source}: keys[${index}] must be an object`);
    const kty = (key as { kty?: unknown }).kty;
    if (typeof kty !== 'string' || !(PUBLIC_KEY_TYPES as readonly string[]).includes(kty)) {
      throw new Error(
        `JWKS ${source}: keys[${index}].kty must be one of ${PUBLIC_KEY_TYPES.join(', ')} (symmetric keys belong in hs256Secret)`,
      );
    }
    const secret = SECRET_MEMBERS.find((member) => member in key);
    if (secret)
      throw new Error(
        `JWKS ${source}: keys[${index}] contains private key material ("${secret}"); publish public keys only`,
      );
  });
  return json as JSONWebKeySet;
}
