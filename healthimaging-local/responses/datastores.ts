import { checkNewResourceTags } from '../model/tags';
import { assertAccountWide, grantCovers } from '../shapes/access-grant';
import { DATASTORE_STATUSES, type DatastoreRecord } from '../shapes/datastore';
import { epochSeconds } from '../shapes/times';
import { grantedDatastoreId } from './access';
import { datastoreArn } from './arns';
import type { Handler, RequestContext } from './handler';
import { CLIENT_TOKEN, fingerprint } from './idempotency';
import { enumValue, jsonBody, queryMaxResults, queryString, stringMember, tagMap } from './input';
import { jsonResponse } from './wire';

const FORMATS = ['HTJ2K', 'JPEG_2000_LOSSLESS'] as const;

const NAME = { min: 1, max: 256, pattern: /^[A-Za-z0-9._/#-]+$/ };
const KMS_ARN = {
  min: 1,
  max: 512,
  pattern:
    /^arn:aws[a-zA-Z-]{0,16}:kms:[a-z]{2}(-[a-z]{1,16}){1,3}-\d{1}:\d{12}:((key\/[a-zA-Z0-9-]{36})|(alias\/[a-zA-Z0-9-_/]{1,256}))$/,
};
const LAMBDA_ARN = {
  min: 1,
  max: 256,
  pattern: /^arn:aws(-[^:]+)?:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/,
};

function summary(ds: DatastoreRecord, ctx: RequestContext, accountId: string) {
  return {
    datastoreId: ds.datastoreId,
    datastoreName: ds.datastoreName,
    datastoreStatus: ds.datastoreStatus,
    datastoreArn: datastoreArn(ctx.region, accountId, ds.datastoreId),
    createdAt: epochSeconds(ds.createdAt),
    updatedAt: epochSeconds(ds.updatedAt),
  };
}

export const createDatastore: Handler = (ctx, { model }) => {
  assertAccountWide(ctx.grant, 'CreateDatastore');
  const body = jsonBody(ctx);
  const clientToken = stringMember(body, 'clientToken', true, CLIENT_TOKEN);
  const name = stringMember(body, 'datastoreName', false, NAME);
  const tags = body.tags === undefined ? {} : tagMap('tags', body.tags);
  checkNewResourceTags(tags);
  const kmsKeyArn = stringMember(body, 'kmsKeyArn', false, KMS_ARN);
  const lambdaAuthorizerArn = stringMember(body, 'lambdaAuthorizerArn', false, LAMBDA_ARN);
  const format = enumValue('losslessStorageFormat', stringMember(body, 'losslessStorageFormat'), FORMATS) ?? 'HTJ2K';

  const answer = model.datastores.create({
    clientToken,
    fingerprint: fingerprint([name, tags, kmsKeyArn, lambdaAuthorizerArn, format]),
    datastoreName: name,
    tags,
    kmsKeyArn,
    lambdaAuthorizerArn,
    losslessStorageFormat: format,
  });
  return jsonResponse(answer);
};

export const getDatastore: Handler = (ctx, { model, accountId }) => {
  const ds = model.datastores.find(grantedDatastoreId(ctx), { requireActive: false });
  return jsonResponse({
    datastoreProperties: {
      ...summary(ds, ctx, accountId),
      kmsKeyArn: ds.kmsKeyArn ?? undefined,
      lambdaAuthorizerArn: ds.lambdaAuthorizerArn ?? undefined,
      losslessStorageFormat: ds.losslessStorageFormat,
    },
  });
};

const isCursor = (p: unknown): p is [number, string] =>
  Array.isArray(p) && p.length === 2 && Number.isSafeInteger(p[0]) && typeof p[1] === 'string';

export const listDatastores: Handler = (ctx, { model, accountId, pageTokens }) => {
  const status = enumValue('datastoreStatus', queryString(ctx, 'datastoreStatus'), DATASTORE_STATUSES);
  const maxResults = queryMaxResults(ctx);
  // The key id is in the scope: a token of one caller's view cannot page another's.
  const scope = `ListDatastores/${status ?? ''}/${ctx.grant.accessKeyId}`;
  const after = pageTokens.open(scope, queryString(ctx, 'nextToken'), isCursor);
  const visible = model.datastores
    .list(status)
    .filter((ds) => grantCovers(ctx.grant, ds.datastoreId))
    .filter((ds) => !after || ds.createdAt > after[0] || (ds.createdAt === after[0] && ds.datastoreId > after[1]));
  const page = visible.slice(0, maxResults);
  const last = page.at(-1);
  return jsonResponse({
    datastoreSummaries: page.map((ds) => summary(ds, ctx, accountId)),
    nextToken:
      visible.length > maxResults && last ? pageTokens.issue(scope, [last.createdAt, last.datastoreId]) : undefined,
  });
};

export const deleteDatastore: Handler = (ctx, { model }) => {
  return jsonResponse(model.datastores.delete(grantedDatastoreId(ctx)));
};
