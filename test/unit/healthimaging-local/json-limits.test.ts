import { MAX_JSON_DEPTH, jsonDepth, parseBoundedJson } from '../../../healthimaging-local/shapes/json-limits';

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('JSON depth limit', () => {
  it('measures nesting of objects and arrays, not brackets inside strings', () => {
    expect(jsonDepth('{}')).toBe(1);
    expect(jsonDepth('{"a":[{"b":1}],"c":{}}')).toBe(3);
    expect(jsonDepth('{"a":"[[[{{{\\"[[["}')).toBe(1);
    expect(jsonDepth('"\\\\"')).toBe(0);
  });

  it('accepts documents at the limit and refuses one level more with ValidationException', () => {
    expect(parseBoundedJson(nested(MAX_JSON_DEPTH), 'doc', 'bad')).toBeDefined();
    expect(() => parseBoundedJson(nested(MAX_JSON_DEPTH + 1), 'doc', 'bad')).toThrow(
      expect.objectContaining({
        name: 'ValidationException',
        message: `doc nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`,
      }),
    );
    expect(() => parseBoundedJson(nested(100_000), 'doc', 'bad')).toThrow(
      expect.objectContaining({ name: 'ValidationException' }),
    );
  });

  it('answers the given message for text that is not JSON', () => {
    expect(() => parseBoundedJson('{"a":', 'doc', 'not JSON')).toThrow(
      expect.objectContaining({ name: 'ValidationException', message: 'not JSON' }),
    );
  });
});
