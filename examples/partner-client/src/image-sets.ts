import { ImageSetsPageDocument, ImageSetVersionsPageDocument } from './documents';
import type { GatewayClient } from './gateway-client';
import type { ImageSetsPageQuery, ImageSetVersionsPageQuery } from './generated/graphql';
import { pages } from './paging';

/** One image set of a search page, with the DICOM tags of the search summary. */
export type ImageSetSummary = NonNullable<ImageSetsPageQuery['imageSets']>['edges'][number]['node'];
/** One version of an image set. */
export type VersionSummary = NonNullable<
  NonNullable<ImageSetVersionsPageQuery['imageSet']>['versions']
>['edges'][number]['node'];

/**
 * The pages of every image set of a data store (search order: last updated first). Without
 * `phi:read` the gateway withholds patient-identifying tags and says which categories in
 * `extensions.phi`, passed to `onWithheld`, so a withheld value can be told from a missing one.
 */
export function imageSetPages(
  client: GatewayClient,
  datastoreId: string,
  pageSize: number,
  onWithheld?: (categories: string[]) => void,
): AsyncGenerator<ImageSetSummary[]> {
  return pages(async (after) => {
    const { data, extensions } = await client.execute(ImageSetsPageDocument, {
      datastoreId,
      first: pageSize,
      ...(after !== undefined ? { after } : {}),
    });
    const categories = withheldCategories(extensions);
    if (categories.length > 0) onWithheld?.(categories);
    if (!data.imageSets) throw new Error(`The image sets of data store ${datastoreId} could not be read.`);
    return data.imageSets;
  });
}

/** The pages of every version of an image set, newest first. */
export function versionPages(
  client: GatewayClient,
  datastoreId: string,
  imageSetId: string,
  pageSize: number,
): AsyncGenerator<VersionSummary[]> {
  return pages(async (after) => {
    const { data } = await client.execute(ImageSetVersionsPageDocument, {
      datastoreId,
      imageSetId,
      first: pageSize,
      ...(after !== undefined ? { after } : {}),
    });
    const versions = data.imageSet?.versions;
    if (!versions) throw new Error(`The versions of image set ${imageSetId} could not be read.`);
    return versions;
  });
}

function withheldCategories(extensions: Record<string, unknown> | undefined): string[] {
  const phi = extensions?.phi as { withheld?: unknown; categories?: unknown } | undefined;
  if (phi?.withheld !== true || !Array.isArray(phi.categories)) return [];
  return phi.categories.filter((category): category is string => typeof category === 'string');
}
