import { getArgumentValues, isObjectType, type GraphQLResolveInfo } from 'graphql';
// graphql-js's own field collection (fragments, type conditions, @skip/@include with variables),
// so the plan sees exactly the fields execution will resolve.
import { collectSubfields } from 'graphql/execution/collectFields';
import { MAX_UPSTREAM_PAGE_SIZE } from '../../imaging/request-checks';
import type { VersionsPageKey } from '../../imaging/loaders';
import { pageSize } from '../paging/page-size';

/**
 * `ImageSet` fields a root built from the first entry of its versions page answers as GetImageSet
 * would (docs/healthimaging-behaviour.md#the-latest-version-in-two-answers), plus those that read
 * nothing from the root's record (ids, fields with their own loaders). Absent on purpose: `arn`,
 * which only GetImageSet carries; any field added later stays out until it is added here.
 */
const ANSWERED_BY_VERSIONS_PAGE: ReadonlySet<string> = new Set([
  '__typename',
  'id',
  'datastoreId',
  'imageSetId',
  'dicomTags',
  'latestVersionId',
  'state',
  'workflowStatus',
  'isPrimary',
  'createdAt',
  'updatedAt',
  'deletedAt',
  'message',
  'forced',
  'versions',
  'latestVersion',
  'version',
  'metadata',
  'datastore',
]);

/**
 * Decides how the `imageSet` root learns its latest version. When the query selects a first page
 * of `versions` and nothing that only GetImageSet holds, the page's first entry (the latest
 * version, newest first) is the root, and the query costs one upstream call instead of two.
 * Returns the page's loader key then; undefined means GetImageSet.
 */
export function versionsPagePlan(
  info: GraphQLResolveInfo,
  ids: { datastoreId: string; imageSetId: string },
): VersionsPageKey | undefined {
  const type = info.schema.getType('ImageSet');
  if (!isObjectType(type)) return undefined;
  const selected = collectSubfields(info.schema, info.fragments, info.variableValues, type, info.fieldNodes);
  let first: number | undefined;
  for (const [, nodes] of selected) {
    for (const node of nodes) {
      const name = node.name.value;
      if (!ANSWERED_BY_VERSIONS_PAGE.has(name)) return undefined;
      if (name !== 'versions' || first !== undefined) continue;
      const field = type.getFields().versions;
      if (!field) return undefined;
      try {
        const args = getArgumentValues(field, node, info.variableValues) as {
          first?: number | null;
          after?: string | null;
        };
        // A later page does not start with the latest version.
        if (args.after !== undefined && args.after !== null) continue;
        first = pageSize(args.first);
      } catch {
        continue; // Invalid arguments: the `versions` resolver reports them.
      }
    }
  }
  if (first === undefined) return undefined;
  // The key the `versions` resolver reads the same page with (readUpstreamSlice, no cursor).
  return { ...ids, maxResults: Math.min(MAX_UPSTREAM_PAGE_SIZE, first) };
}
