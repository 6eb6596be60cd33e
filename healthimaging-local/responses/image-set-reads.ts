import type { ImageSetRecord, VersionRecord } from '../shapes/image-set-state';
import { datastoreFor } from './access';
import type { Handler, HilServices, RequestContext } from './handler';
import { arnOf, versionProperties } from './image-set-properties';
import { jsonBody, queryMaxResults, queryString, queryVersion, resourceId, stringMember } from './input';
import { isVersion } from './page-tokens';
import { jsonResponse } from './wire';

function imageSetFor(ctx: RequestContext, services: HilServices): ImageSetRecord {
  const ds = datastoreFor(ctx, services);
  const imageSetId = resourceId('imageSetId', ctx.params.imageSetId);
  return services.model.imageSets.live(ds.datastoreId, imageSetId);
}

function versionFor(ctx: RequestContext, services: HilServices, imageSet: ImageSetRecord): VersionRecord {
  return services.model.imageSets.version(imageSet, queryVersion(ctx, 'version') ?? imageSet.latestVersion);
}

export const getImageSet: Handler = (ctx, services) => {
  const imageSet = imageSetFor(ctx, services);
  const version = versionFor(ctx, services, imageSet);
  return jsonResponse({
    datastoreId: imageSet.datastoreId,
    ...versionProperties(imageSet, version),
    imageSetWorkflowStatus: version.workflowStatus,
    imageSetArn: arnOf(ctx.region, services.accountId, imageSet),
    storageTier: 'FREQUENT_ACCESS',
  });
};

export const getImageSetMetadata: Handler = (ctx, services) => {
  const imageSet = imageSetFor(ctx, services);
  const version = versionFor(ctx, services, imageSet);
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
    body: services.model.imageSets.metadataGz(imageSet, version.version),
  };
};

const FRAME_ID = { min: 32, max: 32, pattern: /^[0-9a-z]{32}$/ };

export const getImageFrame: Handler = (ctx, services) => {
  const body = jsonBody(ctx);
  const imageSet = imageSetFor(ctx, services);
  const frameId = stringMember(body, 'imageFrameId', true, FRAME_ID);
  const frame = services.model.imageSets.frame(imageSet, frameId);
  return { status: 200, headers: { 'Content-Type': frame.contentType }, body: frame.bytes };
};

export const listImageSetVersions: Handler = (ctx, services) => {
  const imageSet = imageSetFor(ctx, services);
  const maxResults = queryMaxResults(ctx);
  const scope = `ListImageSetVersions/${imageSet.datastoreId}/${imageSet.imageSetId}`;
  const from = services.pageTokens.open(scope, queryString(ctx, 'nextToken'), isVersion) ?? imageSet.latestVersion;
  const versions = services.model.imageSets.versions(imageSet, from, maxResults + 1);
  const page = versions.slice(0, maxResults);
  const next = versions[maxResults];
  return jsonResponse({
    imageSetPropertiesList: page.map((v) => ({
      ...versionProperties(imageSet, v),
      // Capital I: the model names the member this way in ImageSetProperties only.
      ImageSetWorkflowStatus: v.workflowStatus,
    })),
    nextToken: next ? services.pageTokens.issue(scope, next.version) : undefined,
  });
};
