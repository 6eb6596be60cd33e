/**
 * The attack documents of the protection review (issue 7), as an attacker sends them: each must
 * be refused fast, with the limit it breaks, while normal traffic goes on. Built from the bench's
 * own data store ids, so nothing is refused for naming an unknown data store.
 */
export interface AttackDocument {
  /** Short, stable name used in the results. */
  name: string;
  /** What it is, for the report. */
  description: string;
  query: string;
  /** Sent without any credential (the anonymous attacks). */
  anonymous?: boolean;
}

/** `query { ...F0 }` where each fragment spreads the next twice: 2^levels fields once expanded, under 1 KB of text. */
export function fragmentBomb(levels: number): string {
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  return `query Q { ...F0 }\n${fragments.join('\n')}\nfragment F${levels} on Query { __typename }`;
}

function typenamePadding(count: number): string {
  return Array.from({ length: count }, (_, i) => `t${i}: __typename`).join(' ');
}

function heavySearch(datastoreId: string): string {
  return `imageSets(datastoreId: "${datastoreId}", first: 50) { edges { node { metadata { patient { dicom } study { dicom series { dicom instances(first: 50) { edges { node { dicom } } } } } } } } }`;
}

/** A well-formed image set id no data store holds: were the refusal ever to fail, the deletes would find nothing. */
const ABSENT_IMAGE_SET_ID = '0123456789abcdef0123456789abcdef';

export function attackDocuments(targets: { readDatastoreId: string; writeDatastoreId: string }): AttackDocument[] {
  const overlapping = `{ ${'viewer { subject } '.repeat(50_000)} }`;
  return [
    {
      name: 'fragment-bomb-anonymous',
      description: 'fragment bomb, 23 levels, no credential',
      query: fragmentBomb(23),
      anonymous: true,
    },
    { name: 'fragment-bomb', description: 'fragment bomb, 23 levels, API key', query: fragmentBomb(23) },
    { name: 'typename-padding', description: '10,000 aliased `__typename`', query: `{ ${typenamePadding(10_000)} }` },
    {
      name: 'heavy-searches',
      description: '500 aliased `imageSets(first: 50)` with metadata, plus the 10,000-field padding',
      query: `{ ${Array.from({ length: 500 }, (_, i) => `s${i}: ${heavySearch(targets.readDatastoreId)}`).join(' ')} ${typenamePadding(10_000)} }`,
    },
    {
      name: 'overlapping-fields',
      description: `${Math.round(overlapping.length / 1000)} KB of overlapping fields`,
      query: overlapping,
    },
    {
      name: 'directives',
      description: '60,000 `@skip(if: false)` directives',
      query: `{ viewer ${'@skip(if: false) '.repeat(60_000)} { subject } }`,
    },
    { name: 'aliases-101', description: '101 aliases of `__typename`', query: `{ ${typenamePadding(101)} }` },
    {
      name: 'duplicated-fields',
      description: 'one field repeated 500 times',
      query: `{ viewer { ${'subject '.repeat(500)} } }`,
    },
    {
      name: 'aliased-deletes',
      description: '300 aliased `deleteImageSet`',
      query: `mutation { ${Array.from(
        { length: 300 },
        (_, i) =>
          `d${i}: deleteImageSet(input: { datastoreId: "${targets.writeDatastoreId}", imageSetId: "${ABSENT_IMAGE_SET_ID}" }) { state }`,
      ).join(' ')} }`,
    },
  ];
}
