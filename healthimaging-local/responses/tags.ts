import { assertGrant } from '../shapes/access-grant';
import { parseResourceArn } from '../arns';
import { notFound, validation } from '../shapes/errors';
import { MAX_TAGS_PER_RESOURCE } from '../shapes/quotas';
import { jsonResponse } from '../wire';
import type { HilServices, RequestContext, Handler } from './handler';
import { TAG_KEY_PATTERN, checkString, jsonBody, tagMap } from './input';

/** The tag store key of the data store or image set an ARN names, after access checks. */
function taggedResource(ctx: RequestContext, { store, settings }: HilServices): string {
  const arn = parseResourceArn(ctx.params.resourceArn ?? '');
  assertGrant(ctx.grant, arn.datastoreId);
  const missing = () => notFound('The resource does not exist');
  if (arn.accountId !== settings.accountId) throw missing();
  const ds = store.datastores.get(arn.datastoreId);
  if (!ds || ds.datastoreStatus === 'DELETED') throw missing();
  if (!arn.imageSetId) return arn.datastoreId;
  const imageSet = store.imageSets.get(arn.datastoreId, arn.imageSetId);
  if (!imageSet || imageSet.state === 'DELETED') throw missing();
  return `${arn.datastoreId}/${arn.imageSetId}`;
}

export const tagResource: Handler = (ctx, services) => {
  const body = jsonBody(ctx);
  if (body.tags === undefined) throw validation('tags is required');
  const tags = tagMap('tags', body.tags);
  services.store.tx(() => {
    const resource = taggedResource(ctx, services);
    const merged = { ...services.store.tags.list(resource), ...tags };
    if (Object.keys(merged).length > MAX_TAGS_PER_RESOURCE) {
      throw validation(`A resource can have at most ${MAX_TAGS_PER_RESOURCE} tags`);
    }
    services.store.tags.put(resource, tags);
  });
  return jsonResponse({});
};

export const untagResource: Handler = (ctx, services) => {
  const keys = ctx.query.getAll('tagKeys');
  if (keys.length > 200) throw validation('tagKeys can hold at most 200 keys');
  for (const k of keys) checkString('tag key', k, { min: 1, max: 128, pattern: TAG_KEY_PATTERN });
  services.store.tx(() => services.store.tags.remove(taggedResource(ctx, services), keys));
  return jsonResponse({});
};

export const listTagsForResource: Handler = (ctx, services) => {
  return jsonResponse({ tags: services.store.tags.list(taggedResource(ctx, services)) });
};
