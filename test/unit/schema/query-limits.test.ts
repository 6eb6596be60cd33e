import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { CorsPolicy } from '../../../src/http/cors-policy';
import { maxDepthRule } from '../../../src/limits/query-depth.rule';

const schema = buildSchema(`
  type Node { id: ID! child: Node }
  type Query { root: Node }
`);

function depthErrors(query: string, maxDepth: number): string[] {
  return validate(schema, parse(query), [...specifiedRules, maxDepthRule(maxDepth)]).map((error) => error.message);
}

describe('maxDepthRule', () => {
  it('accepts an operation at the limit and refuses one past it', () => {
    expect(depthErrors('{ root { child { id } } }', 3)).toEqual([]);
    expect(depthErrors('{ root { child { child { id } } } }', 3)).toEqual(['The operation is nested 4 levels deep; the limit is 3.']);
  });

  it('counts fragments where they are spread', () => {
    const query = `
      query { root { ...deep } }
      fragment deep on Node { child { ... on Node { child { id } } } }
    `;
    expect(depthErrors(query, 3)).toEqual(['The operation is nested 4 levels deep; the limit is 3.']);
  });

  it('does not count introspection', () => {
    expect(depthErrors('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }', 2)).toEqual([]);
  });
});

describe('CorsPolicy', () => {
  const policy = new CorsPolicy(['https://app.example.com']);

  it('allows configured origins with exposed request ids', () => {
    expect(policy.evaluate({ origin: 'https://app.example.com', preflight: false })).toEqual({
      kind: 'allowed',
      headers: [
        ['access-control-allow-origin', 'https://app.example.com'],
        ['vary', 'Origin'],
        ['access-control-expose-headers', 'x-request-id'],
      ],
    });
  });

  it('denies other origins, including look-alikes', () => {
    expect(policy.evaluate({ origin: 'https://app.example.com.evil.test', preflight: true })).toEqual({ kind: 'denied' });
    expect(policy.evaluate({ origin: 'http://app.example.com', preflight: false })).toEqual({ kind: 'denied' });
  });

  it('treats requests without Origin, and from the gateway itself, as not cross-origin', () => {
    expect(policy.evaluate({ preflight: false })).toEqual({ kind: 'not-cross-origin' });
    expect(policy.evaluate({ origin: 'http://localhost:4000', selfOrigin: 'http://localhost:4000', preflight: false })).toEqual({
      kind: 'not-cross-origin',
    });
  });

  it('answers any origin with a literal * when configured so', () => {
    const open = new CorsPolicy(['*']);
    const verdict = open.evaluate({ origin: 'https://anywhere.test', preflight: true });
    expect(verdict.kind).toBe('allowed');
    expect(verdict.kind === 'allowed' && verdict.headers[0]).toEqual(['access-control-allow-origin', '*']);
  });
});
