import { parse, validate, buildSchema } from 'graphql';
import {
  sanitizeCoercionReason,
  sanitizeSyntaxMessage,
  sanitizeValidationMessage,
  sanitizeVariableMessage,
} from '../../../src/errors/sanitize-graphql-message';

const schema = buildSchema(`
  enum Modality { CT MR }
  input Criteria { patientName: String!, modality: Modality, limit: Int }
  type Query { search(criteria: Criteria!): String }
`);

function validationMessages(source: string): string[] {
  return validate(schema, parse(source)).map((error) => sanitizeValidationMessage(error.message, error.nodes));
}

describe('sanitizeVariableMessage', () => {
  it('cannot be tricked by a value that imitates the path suffix', () => {
    const reason = 'Expected type "Int". Int cannot represent non-integer value: "x"';
    const forged = `Variable "$c" got invalid value "Doe at \\"c.limit\\"" at "c.limit"; ${reason}`;
    expect(sanitizeVariableMessage(forged, reason)).toBe(
      'Variable "$c" has an invalid value at "c.limit": Expected type "Int".',
    );
    const withoutPath = `Variable "$c" got invalid value "Doe at \\"c.limit\\""; ${reason}`;
    expect(sanitizeVariableMessage(withoutPath, reason)).toBe(
      'Variable "$c" has an invalid value: Expected type "Int".',
    );
  });

  it('gives a generic reason when the inner reason is unknown or missing', () => {
    expect(sanitizeVariableMessage('Variable "$n" got invalid value "Doe^John"; something new', undefined)).toBe(
      'Variable "$n" has an invalid value: the value does not match its type.',
    );
  });

  it('leaves other messages alone', () => {
    expect(sanitizeVariableMessage('Cannot query field "x" on type "Query".', undefined)).toBeUndefined();
  });
});

describe('sanitizeCoercionReason', () => {
  it('keeps names and types and drops values', () => {
    expect(
      sanitizeCoercionReason('Value "Doe^John" does not exist in "Modality" enum. Did you mean the enum value "MR"?'),
    ).toBe('The value is not a member of the "Modality" enum.');
    expect(sanitizeCoercionReason('String cannot represent a non string value: {"name":"Doe^John"}')).toBe(
      'String cannot represent the given value.',
    );
    expect(sanitizeCoercionReason('Value is not a valid date: Doe^John')).toBeUndefined();
  });
});

describe('sanitizeValidationMessage', () => {
  it('replaces literal values in the document with a generic sentence', () => {
    expect(validationMessages('{ search(criteria: { patientName: "x", modality: DOE_JOHN }) }')).toEqual([
      'A literal value in the document is not valid for its type.',
    ]);
    expect(validationMessages('{ search(criteria: { patientName: "x", limit: "Doe^John" }) }')).toEqual([
      'A literal value in the document is not valid for its type.',
    ]);
  });

  it('keeps messages that name only schema elements', () => {
    expect(validationMessages('{ search(criteria: { modality: CT }) }')).toEqual([
      'Field "Criteria.patientName" of required type "String!" was not provided.',
    ]);
    expect(validationMessages('{ search }')).toEqual([
      'Field "search" argument "criteria" of type "Criteria!" is required, but it was not provided.',
    ]);
  });

  it('rewrites the "Expected value of type" form', () => {
    expect(sanitizeValidationMessage('Expected value of type "Criteria!", found "Doe^John".', undefined)).toBe(
      'Expected value of type "Criteria!", found an invalid value.',
    );
  });
});

describe('sanitizeSyntaxMessage', () => {
  it('drops the quoted token value but keeps the token kind', () => {
    expect(sanitizeSyntaxMessage('Syntax Error: Unexpected Name "DoeJohn".')).toBe('Syntax Error: Unexpected Name.');
    expect(sanitizeSyntaxMessage('Syntax Error: Expected ":", found Int "19700101".')).toBe(
      'Syntax Error: Expected ":", found Int.',
    );
    expect(sanitizeSyntaxMessage('Syntax Error: Unterminated string.')).toBe('Syntax Error: Unterminated string.');
  });
});
