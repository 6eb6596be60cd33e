import {
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * The size of an operation as it would execute, fragments expanded, measured in one pass over the
 * document: each fragment is measured once and its figures reused wherever it is spread, so a
 * document whose fragments double at every level (a "fragment bomb") costs time linear in its text
 * while its figures still say how large it really is. graphql-armor's rules were not used for this:
 * each walks the document again per rule and per spread, which is the exponential walk this
 * replaces.
 */
export interface OperationShape {
  operationType: 'query' | 'mutation' | 'subscription';
  depth: number;
  aliases: number;
  rootFields: number;
  directives: number;
  /** The most times one response key or one fragment appears in a single selection set. */
  fieldRepetition: number;
  /** Root fields when the operation is a mutation, else 0. */
  mutations: number;
  /** Every root field is introspection (`__schema`, `__type`, `__typename`). */
  introspectionOnly: boolean;
}

/** The document cannot be measured (unknown or cyclic fragment, unknown operation): refused, fail closed. */
export class UnmeasurableDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnmeasurableDocumentError';
  }
}

interface SetFigures {
  depth: number;
  aliases: number;
  fields: number;
  directives: number;
  repetition: number;
  introspectionOnly: boolean;
}

/** The operation that will run: the named one, or the only one. */
export function selectOperation(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName !== undefined) {
    const named = operations.find((operation) => operation.name?.value === operationName);
    if (!named) throw new UnmeasurableDocumentError('The document has no operation of the given operationName.');
    return named;
  }
  const [operation] = operations;
  if (operation === undefined || operations.length !== 1) {
    throw new UnmeasurableDocumentError(
      operations.length === 0
        ? 'The document has no operation.'
        : 'The document has several operations: send operationName.',
    );
  }
  return operation;
}

export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

export function measureOperation(document: DocumentNode, operation: OperationDefinitionNode): OperationShape {
  const fragments = fragmentsOf(document);
  const measured = new Map<string, SetFigures>();
  const inProgress = new Set<string>();

  const fragmentFigures = (name: string): SetFigures => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment) throw new UnmeasurableDocumentError('The document spreads a fragment it does not define.');
    if (inProgress.has(name)) throw new UnmeasurableDocumentError('The document has a fragment cycle.');
    inProgress.add(name);
    const figures = setFigures(fragment.selectionSet);
    figures.directives += fragment.directives?.length ?? 0;
    inProgress.delete(name);
    measured.set(name, figures);
    return figures;
  };

  const setFigures = (selectionSet: SelectionSetNode): SetFigures => {
    const figures: SetFigures = {
      depth: 0,
      aliases: 0,
      fields: 0,
      directives: 0,
      repetition: 0,
      introspectionOnly: true,
    };
    const occurrences = new Map<string, number>();
    const count = (key: string): void => {
      const seen = (occurrences.get(key) ?? 0) + 1;
      occurrences.set(key, seen);
      if (seen > figures.repetition) figures.repetition = seen;
    };
    for (const selection of selectionSet.selections) {
      figures.directives += selection.directives?.length ?? 0;
      let inner: SetFigures | undefined;
      let depth = 0;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        count(`field:${selection.alias?.value ?? name}`);
        figures.fields += 1;
        if (selection.alias) figures.aliases += 1;
        const introspection = name.startsWith('__');
        if (!introspection) figures.introspectionOnly = false;
        if (selection.selectionSet) {
          inner = setFigures(selection.selectionSet);
          if (!introspection) depth = 1 + inner.depth;
        } else if (!introspection) {
          depth = 1;
        }
        // A field's own subtree adds its figures; its fields are not the parent's root fields.
        if (inner) {
          figures.aliases += inner.aliases;
          figures.directives += inner.directives;
          figures.repetition = Math.max(figures.repetition, inner.repetition);
        }
      } else {
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          count(`fragment:${selection.name.value}`);
          inner = fragmentFigures(selection.name.value);
        } else {
          inner = setFigures(selection.selectionSet);
        }
        // A fragment's selections belong to this selection set: they add to its field count.
        depth = inner.depth;
        figures.fields += inner.fields;
        figures.aliases += inner.aliases;
        figures.directives += inner.directives;
        figures.repetition = Math.max(figures.repetition, inner.repetition);
        if (!inner.introspectionOnly) figures.introspectionOnly = false;
      }
      if (depth > figures.depth) figures.depth = depth;
    }
    return figures;
  };

  const root = setFigures(operation.selectionSet);
  const directives = root.directives + (operation.directives?.length ?? 0);
  return {
    operationType: operation.operation,
    depth: root.depth,
    aliases: root.aliases,
    rootFields: root.fields,
    directives,
    fieldRepetition: root.repetition,
    mutations: operation.operation === OperationTypeNode.MUTATION ? root.fields : 0,
    introspectionOnly: root.introspectionOnly && root.fields > 0,
  };
}
