import {
  getArgumentValues,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';
import { listImageSetVersions } from '../paging/image-set-versions';
import type { RequestScope } from './request-scope';

/**
 * GraphQL resolves `imageSet { versions(first: n) }` parent first: ListImageSetVersions would wait
 * for GetImageSet although it needs only the ids the query already holds, costing one upstream
 * round trip more than necessary. The root resolver calls this before awaiting GetImageSet, so the
 * first page of every `versions` selection without `after` is requested in parallel. It goes
 * through the very function and per-request loader the `versions` resolver uses, so that resolver
 * finds the same keys and no call is made twice; failures are left for it to report.
 */
export function prefetchFirstVersionPages(
  scope: RequestScope,
  info: GraphQLResolveInfo,
  datastoreId: string,
  imageSetId: string,
): void {
  const type = info.schema.getType('ImageSet');
  const field = isObjectType(type) ? type.getFields().versions : undefined;
  if (!field) return;
  for (const node of info.fieldNodes) {
    for (const selection of versionSelections(node.selectionSet)) {
      let args: { first?: number | null; after?: string | null };
      try {
        args = getArgumentValues(field, selection, info.variableValues);
      } catch {
        continue; // Invalid arguments: the resolver reports them.
      }
      if (args.after !== undefined && args.after !== null) continue;
      listImageSetVersions(scope, datastoreId, imageSetId, args).catch(() => undefined);
    }
  }
}

/** `versions` fields selected directly or through inline fragments (named fragments are left to the resolver). */
function* versionSelections(selectionSet: SelectionSetNode | undefined): Generator<FieldNode> {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD && selection.name.value === 'versions') yield selection;
    else if (selection.kind === Kind.INLINE_FRAGMENT) yield* versionSelections(selection.selectionSet);
  }
}
