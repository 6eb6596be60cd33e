/**
 * The limits every GraphQL request must pass before it is validated or executed. Each has a
 * documented default and a MAX_* environment variable (see `src/config.ts` and the README's
 * Security section); a refusal names the limit (the key below) and its maximum.
 */
export interface OperationLimits {
  /** Lexical tokens in the document; the parser stops at this count, so an oversized document costs one bounded parse. */
  readonly tokens: number;
  /** Nesting of fields, fragments expanded (introspection fields excepted, so tools keep working). */
  readonly depth: number;
  /** Aliased fields in the executed operation, fragments expanded. */
  readonly aliases: number;
  /** Fields at the root of the operation, fragments expanded. */
  readonly rootFields: number;
  /** Directive uses in the operation, fragments expanded. */
  readonly directives: number;
  /** How often one response key (or one fragment) may appear in a single selection set. */
  readonly fieldRepetition: number;
  /** Root fields of a mutation operation: a bulk client sends requests, each audited and rate limited. */
  readonly mutations: number;
  /** Estimated cost (see `operation-cost.ts`). */
  readonly cost: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = Object.freeze({
  tokens: 3000,
  depth: 12,
  aliases: 20,
  rootFields: 10,
  directives: 20,
  fieldRepetition: 2,
  mutations: 1,
  cost: 3000,
});

/** The environment variable of each limit. */
export const OPERATION_LIMIT_VARIABLES: Readonly<Record<keyof OperationLimits, string>> = Object.freeze({
  tokens: 'MAX_QUERY_TOKENS',
  depth: 'MAX_QUERY_DEPTH',
  aliases: 'MAX_QUERY_ALIASES',
  rootFields: 'MAX_QUERY_ROOT_FIELDS',
  directives: 'MAX_QUERY_DIRECTIVES',
  fieldRepetition: 'MAX_QUERY_FIELD_REPETITION',
  mutations: 'MAX_MUTATIONS_PER_OPERATION',
  cost: 'MAX_QUERY_COST',
});

/** How a refusal describes each limit (never the document itself). */
export const OPERATION_LIMIT_WORDING: Readonly<Record<keyof OperationLimits, string>> = Object.freeze({
  tokens: 'The document has more tokens than allowed',
  depth: 'The operation is nested deeper than allowed',
  aliases: 'The operation uses more aliases than allowed',
  rootFields: 'The operation selects more root fields than allowed',
  directives: 'The operation uses more directives than allowed',
  fieldRepetition: 'A selection set repeats one field or fragment more often than allowed',
  mutations: 'The operation runs more mutations than allowed',
  cost: 'The operation is estimated to cost more than allowed',
});
