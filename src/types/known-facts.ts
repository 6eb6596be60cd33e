/**
 * Facts about an upstream resource that are already known without another upstream call (from a
 * search summary, a write response or a record loaded earlier in the request). A key that is
 * present is authoritative, even when its value is undefined; an absent key means "ask the
 * loader".
 */
export type KnownFacts<T> = { [K in keyof T]?: T[K] | undefined };

/** Keeps only the keys whose value is defined, so that absent facts fall back to the loader. */
export function definedFacts<T extends object>(facts: { [K in keyof T]?: T[K] | undefined }): KnownFacts<T> {
  const known: KnownFacts<T> = {};
  for (const key of Object.keys(facts) as Array<keyof T>) {
    if (facts[key] !== undefined) known[key] = facts[key];
  }
  return known;
}

/**
 * A known fact is answered synchronously (graphql-js then skips the promise machinery for the
 * field); only an unknown one waits for the loader.
 */
export function knownOrLoad<T extends object, K extends keyof T>(
  known: KnownFacts<T>,
  key: K,
  load: () => Promise<T>,
): T[K] | undefined | Promise<T[K] | undefined> {
  if (Object.prototype.hasOwnProperty.call(known, key)) return known[key];
  return load().then((facts) => facts[key]);
}

/** Applies `map` to a value that may still be on its way, without a promise when it is not. */
export function mapMaybe<T, R>(value: T | Promise<T>, map: (value: T) => R): R | Promise<R> {
  return value instanceof Promise ? value.then(map) : map(value);
}

/**
 * Said of every field that may need an upstream read of its own: such fields are nullable, so that
 * in a page of search results one image set that cannot be read does not take the page down with it.
 */
export function readFailureNote(what: 'image set' | 'version'): string {
  return `Null (with an error) only when the ${what} could not be read.`;
}
