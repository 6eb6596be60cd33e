import { assertGrant } from '../shapes/access-grant';
import { parseResourceArn } from './arns';
import { notFound, validation } from '../shapes/errors';
import type { TaggedResource } from '../model/tags';
import { jsonResponse } from './wire';
import type { HilServices, RequestContext, Handler } from './handler';
import { TAG_KEY_PATTERN, checkString, jsonBody, tagMap } from './input';

/** The data store or image set an ARN names, after the ARN's shape (400) and the caller's grant (403). */
function taggedResource(ctx: RequestContext, { accountId }: HilServices): TaggedResource {
  const arn = parseResourceArn(ctx.params.resourceArn ?? '');
  assertGrant(ctx.grant, arn.datastoreId);
  // Another account's resource is one this account cannot see.
  if (arn.accountId !== accountId) throw notFound('The resource does not exist');
  return { datastoreId: arn.datastoreId, imageSetId: arn.imageSetId };
}

export const tagResource: Handler = (ctx, services) => {
  const body = jsonBody(ctx);
  if (body.tags === undefined) throw validation('tags is required');
  const tags = tagMap('tags', body.tags);
  services.model.tags.tag(taggedResource(ctx, services), tags);
  return jsonResponse({});
};

export const untagResource: Handler = (ctx, services) => {
  const keys = ctx.query.getAll('tagKeys');
  if (keys.length > 200) throw validation('tagKeys can hold at most 200 keys');
  for (const k of keys) checkString('tag key', k, { min: 1, max: 128, pattern: TAG_KEY_PATTERN });
  services.model.tags.untag(taggedResource(ctx, services), keys);
  return jsonResponse({});
};

export const listTagsForResource: Handler = (ctx, services) => {
  return jsonResponse({ tags: services.model.tags.list(taggedResource(ctx, services)) });
};
