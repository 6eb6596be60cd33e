import { Kind, type ASTNode } from 'graphql';

/**
 * graphql-js quotes the offending input in several messages (`Variable "$name" got invalid value
 * "Doe^John"; ...`, `Expected value of type "Date", found "1970-01-01x"`, `Syntax Error: Expected
 * Name, found String "..."`). Those values can be patient data and end up in logs, traces and
 * screenshots, so these functions rebuild the messages from the parts that name schema elements
 * and drop the values. Unknown shapes degrade to a generic sentence rather than pass through.
 */

const NAME = '[_A-Za-z][_0-9A-Za-z]*';
const TYPE = '[_A-Za-z][_0-9A-Za-z!\\[\\] ]*';

const UNKNOWN_INPUT_FIELD = (type: string): string =>
  `An input field is not defined by type "${type}" (see the type's fields in the schema).`;

const VARIABLE_VALUE_ERROR = new RegExp(`^Variable "\\$(${NAME})" (?:got|has) invalid value `);
/** ` at "criteria.studies[0].modality"` at the end of the prefix; only names and indexes, so a value cannot fake it. */
const VARIABLE_PATH_SUFFIX = new RegExp(` at "(${NAME}(?:\\.${NAME}|\\[\\d+\\])*)"$`);

/** Reasons from `coerceInputValue` (and built-in scalars) rebuilt without the value. */
const REASON_RULES: ReadonlyArray<[RegExp, (match: RegExpExecArray) => string]> = [
  [new RegExp(`^Expected type "(${TYPE})" to be an object\\.`), (m) => `Expected type "${m[1]}" to be an object.`],
  [
    new RegExp(`^Field "(${NAME})" of required type "(${TYPE})" was not provided\\.`),
    (m) => `Field "${m[1]}" of required type "${m[2]}" was not provided.`,
  ],
  // The unknown field's name is the client's own key (it could be anything, a patient's name too).
  [new RegExp(`^Field "${NAME}" is not defined by type "(${TYPE})"\\.`), (m) => UNKNOWN_INPUT_FIELD(m[1] ?? '')],
  [
    new RegExp(`^Exactly one key must be specified for OneOf type "(${TYPE})"\\.`),
    (m) => `Exactly one key must be specified for OneOf type "${m[1]}".`,
  ],
  [new RegExp(`^Field "(${NAME})" must be non-null\\.`), (m) => `Field "${m[1]}" must be non-null.`],
  // Scalar parse failures: the detail after the type usually quotes the value, so it is dropped.
  [new RegExp(`^Expected type "(${TYPE})"\\.`), (m) => `Expected type "${m[1]}".`],
  [/^(String|Int|Float|Boolean|ID) cannot represent/, (m) => `${m[1]} cannot represent the given value.`],
  [new RegExp(`^Enum "(${NAME})" cannot represent`), (m) => `Enum "${m[1]}" cannot represent the given value.`],
  [
    new RegExp(`^Value [\\s\\S]* does not exist in "(${NAME})" enum\\.`),
    (m) => `The value is not a member of the "${m[1]}" enum.`,
  ],
];

export function sanitizeCoercionReason(reason: string): string | undefined {
  for (const [pattern, rebuild] of REASON_RULES) {
    const match = pattern.exec(reason);
    if (match) return rebuild(match);
  }
  return undefined;
}

/**
 * Rewrites a variable coercion message. `reason` is the inner error's own message (graphql-js
 * builds the outer one as `prefix + "; " + reason`), which lets the prefix, and its trailing
 * path, be cut off without parsing the quoted value. Returns undefined for other messages.
 */
export function sanitizeVariableMessage(message: string, reason: string | undefined): string | undefined {
  const head = VARIABLE_VALUE_ERROR.exec(message);
  if (!head) return undefined;
  const variable = head[1];
  let path: string | undefined;
  let safeReason: string | undefined;
  if (reason !== undefined && reason !== message && message.endsWith(`; ${reason}`)) {
    const prefix = message.slice(0, message.length - reason.length - 2);
    path = VARIABLE_PATH_SUFFIX.exec(prefix)?.[1];
    safeReason = sanitizeCoercionReason(reason);
  }
  const where = path ? ` at "${path}"` : '';
  return `Variable "$${variable}" has an invalid value${where}: ${safeReason ?? 'the value does not match its type.'}`;
}

const LITERAL_KINDS: ReadonlySet<string> = new Set([
  Kind.STRING,
  Kind.INT,
  Kind.FLOAT,
  Kind.BOOLEAN,
  Kind.ENUM,
  Kind.LIST,
  Kind.OBJECT,
  Kind.NULL,
]);

const SAFE_LITERAL_MESSAGES: readonly RegExp[] = [
  new RegExp(`^Field "(${NAME}\\.)?${NAME}" of required type "${TYPE}" was not provided\\.$`),
  new RegExp(`^OneOf Input Object "${NAME}" must specify exactly one key\\.$`),
  new RegExp(`^Field "${NAME}\\.${NAME}" must be non-null\\.$`),
];

/** Validation messages: literal values in the document are replaced; everything else names schema elements only. */
export function sanitizeValidationMessage(message: string, nodes: readonly ASTNode[] | undefined): string {
  const unknownField = new RegExp(`^Field "${NAME}" is not defined by type "(${TYPE})"\\.`).exec(message);
  if (unknownField) return UNKNOWN_INPUT_FIELD(unknownField[1] ?? '');
  const expected = new RegExp(`^Expected value of type "(${TYPE})", found `).exec(message);
  if (expected) return `Expected value of type "${expected[1]}", found an invalid value.`;
  const onLiteral = nodes?.[0] !== undefined && LITERAL_KINDS.has(nodes[0].kind);
  if (onLiteral && !SAFE_LITERAL_MESSAGES.some((pattern) => pattern.test(message))) {
    return 'A literal value in the document is not valid for its type.';
  }
  return message;
}

/** `Syntax Error: Expected Name, found String "Doe^John".` -> `... found String.` */
export function sanitizeSyntaxMessage(message: string): string {
  return message.replace(/ (String|BlockString|Name|Int|Float|Comment) "[\s\S]*"\.?$/, ' $1.');
}
