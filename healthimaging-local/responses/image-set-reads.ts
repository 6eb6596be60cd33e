import { notFound } from '../shapes/errors';
import { liveImageSet } from '../model/image-set-rules';
import type { ImageSetRecord, VersionRecord } from '../shapes/image-set-state';
import { isVersion } from '../pagination';
import { jsonResponse } from '../wire';
import { datastoreFor } from './access';
import type { Handler, HilServices, RequestContext } from './handler';
import { arnOf, versionProperties } from './image-set-properties';
import { jsonBody, queryMaxResults, queryString, queryVersion, resourceId, stringMember } from './input';

function imageSetFor(ctx: RequestContext, services: HilServices): ImageSetRecord {
  const ds = datastoreFor(ctx, services);
  const imageSetId = resourceId('imageSetId', ctx.params.imageSetId);
  return liveImageSet(services.model, ds.datastoreId, imageSetId);
}

function versionFor(ctx: RequestContext, services: HilServices, imageSet: ImageSetRecord): VersionRecord {
  const requested = queryVersion(ctx, 'version') ?? imageSet.latestVersion;
  const version = services.store.imageSets.getVersion(imageSet.datastoreId, imageSet.imageSetId, requested);
  if (!version) throw notFound(`Image set version ${requested} does not exist`);
  return version;
}

export const getImageSet: Handler = (ctx, services) => {
  const imageSet = imageSetFor(ctx, services);
  const version = versionFor(ctx, services, imageSet);
  return jsonResponse({
    datastoreId: imageSet.datastoreId,
    ...versionProperties(imageSet, version),
    imageSetWorkflowStatus: version.workflowStatus,
    imageSetArn: arnOf(ctx.region, services.settings.accountId, imageSet),
    storageTier: 'FREQUENT_ACCESS',
  });
};

export const getImageSetMetadata: Handler = (ctx, services) => {
  const imageSet = imageSetFor(ctx, services);
  const version = versionFor(ctx, services, imageSet);
  const gz = services.store.imageSets.getDocumentGz(imageSet.datastoreId, imageSet.imageSetId, version.version)!;
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
    body: gz,
  };
};

const FRAME_ID = { min: 32, max: 32, pattern: /^[0-9a-z]{32}$/ };

export const getImageFrame: Handler = (ctx, services) => {
  const body = jsonBody(ctx);
  const imageSet = imageSetFor(ctx, services);
  const frameId = stringMember(body, 'imageFrameId', true, FRAME_ID);
  const frame = services.store.imageSets.getFrame(imageSet.datastoreId, imageSet.imageSetId, frameId);
  if (!frame) throw notFound(`Image frame ${frameId} does not exist in image set ${imageSet.imageSetId}`);
  return { status: 200, headers: { 'Content-Type': frame.contentType }, body: frame.bytes };
};

export const listImageSetVersions: Handler = (ctx, services) => {
  const imageSet = imageSetFor(ctx, services);
  const maxResults = queryMaxResults(ctx);
  const scope = `ListImageSetVersions/${imageSet.datastoreId}/${imageSet.imageSetId}`;
  const from = services.pageTokens.open(scope, queryString(ctx, 'nextToken'), isVersion) ?? imageSet.latestVersion;
  const versions = services.store.imageSets.listVersions(
    imageSet.datastoreId,
    imageSet.imageSetId,
    from,
    maxResults + 1,
  );
  const page = versions.slice(0, maxResults);
  return jsonResponse({
    imageSetPropertiesList: page.map((v) => ({
      ...versionProperties(imageSet, v),
      // Capital I: the model names the member this way in ImageSetProperties only.
      ImageSetWorkflowStatus: v.workflowStatus,
    })),
    nextToken:
      versions.length > maxResults ? services.pageTokens.issue(scope, versions[maxResults].version) : undefined,
  });
};
