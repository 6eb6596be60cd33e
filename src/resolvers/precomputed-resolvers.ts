import {
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { getMetadataStorage, type AuthCheckerFn } from 'type-graphql';

// The metadata types are not exported by name; these are the parts read here.
type Storage = ReturnType<typeof getMetadataStorage>;
type HandlerMetadata = Storage['queries'][number];
type FieldResolverMetadata = Storage['fieldResolvers'][number];
type ParamMetadata = NonNullable<HandlerMetadata['params']>[number];
/** A class as type-graphql's metadata names it. */
type ClassRef = HandlerMetadata['target'];

type Resolve = GraphQLFieldResolver<unknown, unknown, Record<string, unknown>>;
type Extract = (root: unknown, args: Record<string, unknown>, context: unknown, info: GraphQLResolveInfo) => unknown;

/** What the thin resolvers replaced, for tests and the benchmark's notes. */
export interface PrecomputedResolvers {
  handlers: number;
  plainFields: number;
  kept: string[];
}

/**
 * type-graphql's resolver wrapper redoes on every call what never changes: it sorts the
 * parameters, runs each argument through an async validation step (so every field with an
 * argument becomes a promise, validation off or not) and, for plain data fields, builds a
 * middleware context to read one property. This replaces, after the schema is built, the
 * `resolve` of every field whose parameters it can compute the same way ahead of time: the root,
 * the context, the info, scalar or enum arguments, and argument classes holding only those,
 * behind the same auth check (`@Authorized` scopes through the same `authChecker`). Anything else
 * (input-object arguments, middlewares, custom parameters) keeps type-graphql's own resolver, so
 * behaviour stays type-graphql's: the schema, the resolver classes and their metadata are
 * unchanged. Resolver classes are stateless, so one instance each serves every call, as
 * type-graphql's default container does.
 */
export function precomputeResolvers(
  schema: GraphQLSchema,
  resolverClasses: readonly ClassRef[],
  authChecker: AuthCheckerFn<never, never>,
): PrecomputedResolvers {
  // type-graphql builds a copy of its metadata for each schema, where resolver inheritance is
  // resolved; this builds the same copy again, from the same resolver classes.
  const storage = getMetadataStorage().clone();
  storage.build({ resolvers: [...resolverClasses] });
  const result: PrecomputedResolvers = { handlers: 0, plainFields: 0, kept: [] };
  const instances = new Map<ClassRef, Record<string, unknown>>();
  const instanceOf = (target: ClassRef): Record<string, unknown> => {
    let instance = instances.get(target);
    if (!instance) {
      instance = new (target as new () => Record<string, unknown>)();
      instances.set(target, instance);
    }
    return instance;
  };
  const ownResolver = (target: ClassRef): boolean => resolverClasses.includes(target);

  /** Installs `make(original)`; a maker that answers undefined keeps type-graphql's resolver. */
  const replace = (
    type: GraphQLObjectType | null | undefined,
    name: string,
    make: (original: Resolve) => Resolve | undefined,
  ): boolean => {
    const field = type?.getFields()[name];
    if (!type || !field?.resolve) return false;
    const resolve = make(field.resolve as Resolve);
    if (!resolve) {
      result.kept.push(`${type.name}.${name}`);
      return false;
    }
    field.resolve = resolve;
    return true;
  };

  for (const [rootType, handlers] of [
    [schema.getQueryType(), storage.queries],
    [schema.getMutationType(), storage.mutations],
  ] as const) {
    for (const handler of handlers) {
      if (!ownResolver(handler.target)) continue;
      const made = replace(rootType, handler.schemaName, (original) =>
        handlerResolver(handler, () => instanceOf(handler.target), authChecker, original),
      );
      if (made) result.handlers += 1;
    }
  }

  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!isObjectType(type)) continue;
    for (const field of objectType.fields ?? []) {
      const fieldResolver = storage.fieldResolvers.find(
        (it) =>
          (it.kind === 'internal' || ownResolver(it.target)) &&
          it.getObjectType?.() === field.target &&
          it.methodName === field.name,
      );
      if (fieldResolver) {
        const made = replace(type, field.schemaName, (original) =>
          fieldResolverOf(fieldResolver, instanceOf, authChecker, original),
        );
        if (made) result.handlers += 1;
      } else if (field.name === field.schemaName && !field.roles && (field.middlewares ?? []).length === 0) {
        // A plain property: graphql-js's default resolver reads it the same way.
        const schemaField = type.getFields()[field.schemaName];
        if (schemaField?.resolve) {
          delete schemaField.resolve;
          result.plainFields += 1;
        }
      }
    }
  }
  return result;
}

function fieldResolverOf(
  metadata: FieldResolverMetadata,
  instanceOf: (target: ClassRef) => Record<string, unknown>,
  authChecker: AuthCheckerFn<never, never>,
  original: Resolve,
): Resolve | undefined {
  if (metadata.kind === 'external') {
    return handlerResolver(metadata, () => instanceOf(metadata.target), authChecker, original);
  }
  // A getter or method of the object class itself, read on the root. type-graphql first turns a
  // root that is not an instance of the class into one; every root here is built by its class,
  // and one that is not goes to type-graphql's resolver.
  const target = metadata.getObjectType?.();
  const extract = extractorsOf(metadata.params ?? []);
  if (!extract || !isPlain(metadata) || typeof target !== 'function') return undefined;
  const { methodName } = metadata;
  return (root, args, context, info) => {
    if (!(root instanceof target)) return original(root, args, context, info);
    const member = (root as Record<string, unknown>)[methodName];
    if (typeof member !== 'function') return member;
    const params = paramsOf(extract, root, args, context, info);
    if (params === FALLBACK) return original(root, args, context, info);
    return (member as (...values: unknown[]) => unknown).apply(root, params);
  };
}

function handlerResolver(
  metadata: HandlerMetadata | FieldResolverMetadata,
  instance: () => Record<string, unknown>,
  authChecker: AuthCheckerFn<never, never>,
  original: Resolve,
): Resolve | undefined {
  const extract = extractorsOf(metadata.params ?? []);
  if (!extract || (metadata.middlewares ?? []).length > 0) return undefined;
  const { methodName } = metadata;
  const roles = metadata.roles as never[] | undefined;
  return (root, args, context, info) => {
    const params = paramsOf(extract, root, args, context, info);
    if (params === FALLBACK) return original(root, args, context, info);
    if (roles) {
      // Our checker throws the gateway's own errors; a false answer would be a checker bug.
      if (!authChecker({ root, args, context, info } as never, roles)) throw new Error('Access was not granted.');
    }
    const target = instance();
    return (target[methodName] as (...values: unknown[]) => unknown).apply(target, params);
  };
}

/** Marks a call the precomputed parameters cannot serve exactly as type-graphql would. */
const FALLBACK = Symbol('fallback');

function paramsOf(
  extract: readonly Extract[],
  root: unknown,
  args: Record<string, unknown>,
  context: unknown,
  info: GraphQLResolveInfo,
): unknown[] | typeof FALLBACK {
  const params = new Array<unknown>(extract.length);
  for (let i = 0; i < extract.length; i += 1) {
    const value = extract[i]?.(root, args, context, info);
    if (value === FALLBACK) return FALLBACK;
    params[i] = value;
  }
  return params;
}

function isPlain(metadata: FieldResolverMetadata): boolean {
  return !metadata.roles && (metadata.middlewares ?? []).length === 0;
}

/** One extractor per parameter, in parameter order; undefined when any parameter needs type-graphql. */
function extractorsOf(params: readonly ParamMetadata[]): Extract[] | undefined {
  const ordered = [...params].sort((a, b) => a.index - b.index);
  const extractors: Extract[] = [];
  for (const [position, param] of ordered.entries()) {
    if (param.index !== position) return undefined;
    const extractor = extractorOf(param);
    if (!extractor) return undefined;
    extractors.push(extractor);
  }
  return extractors;
}

function extractorOf(param: ParamMetadata): Extract | undefined {
  switch (param.kind) {
    case 'root': {
      if (param.propertyName !== undefined) return undefined;
      const type: unknown = param.getType?.();
      // type-graphql converts a root of another class into the declared one: those calls go to it.
      return typeof type === 'function'
        ? (root) => (root == null || root instanceof type ? root : FALLBACK)
        : (root) => root;
    }
    case 'context':
      return param.propertyName === undefined ? (_root, _args, context) => context : undefined;
    case 'info':
      return (_root, _args, _context, info) => info;
    case 'arg': {
      if (param.validateFn !== undefined || isInputClass(param.getType())) return undefined;
      const { name } = param;
      return (_root, args) => args[name];
    }
    case 'args': {
      if (param.validateFn !== undefined) return undefined;
      const ArgsClass = param.getType();
      const names = flatArgsFields(ArgsClass);
      if (!names) return undefined;
      return (_root, args) => argsInstance(ArgsClass as new () => Record<string, unknown>, names, args);
    }
    default:
      return undefined;
  }
}

const storage = (): Storage => getMetadataStorage();

function isInputClass(type: unknown): boolean {
  const unwrapped = Array.isArray(type) ? (type as unknown[])[0] : type;
  return storage().inputTypes.some((input) => input.target === unwrapped);
}

/** The field names of an argument class whose fields are all scalars or enums (and of its bases). */
function flatArgsFields(ArgsClass: unknown): string[] | undefined {
  if (typeof ArgsClass !== 'function') return undefined;
  const names: string[] = [];
  for (let target: unknown = ArgsClass; typeof target === 'function' && target.prototype;) {
    const argsType = storage().argumentTypes.find((it) => it.target === target);
    for (const field of argsType?.fields ?? []) {
      if (isInputClass(field.getType())) return undefined;
      if (!names.includes(field.name)) names.push(field.name);
    }
    target = Object.getPrototypeOf(target);
  }
  return names;
}

/** What type-graphql hands a resolver for `@Args()`: an instance holding the arguments given. */
function argsInstance(
  ArgsClass: new () => Record<string, unknown>,
  names: readonly string[],
  args: Record<string, unknown>,
): Record<string, unknown> {
  const instance = new ArgsClass();
  for (const key of Object.keys(instance)) {
    if (instance[key] === undefined && !(key in args)) delete instance[key];
  }
  for (const name of names) {
    if (args[name] !== undefined) instance[name] = args[name];
  }
  return instance;
}
