import { validation } from '../shapes/errors';

export function datastoreArn(region: string, accountId: string, datastoreId: string): string {
  return `arn:aws:medical-imaging:${region}:${accountId}:datastore/${datastoreId}`;
}

export function imageSetArn(region: string, accountId: string, datastoreId: string, imageSetId: string): string {
  return `${datastoreArn(region, accountId, datastoreId)}/imageset/${imageSetId}`;
}

export interface ParsedArn {
  region: string;
  accountId: string;
  datastoreId: string;
  imageSetId?: string;
}

const ARN_PATTERN =
  /^arn:aws((-us-gov)|(-iso)|(-iso-b)|(-cn))?:medical-imaging:([a-z0-9-]+):([0-9]{12}):datastore\/([0-9a-z]{32})(\/imageset\/([0-9a-z]{32}))?$/;

export function parseResourceArn(arn: string): ParsedArn {
  const m = ARN_PATTERN.exec(arn);
  if (!m) throw validation('resourceArn is not a valid medical-imaging data store or image set ARN');
  return { region: m[6], accountId: m[7], datastoreId: m[8], imageSetId: m[10] };
}
