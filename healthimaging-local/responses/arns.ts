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
  imageSetId?: string | undefined;
}

const ARN_PATTERN =
  /^arn:aws(?:-us-gov|-iso|-iso-b|-cn)?:medical-imaging:(?<region>[a-z0-9-]+):(?<accountId>[0-9]{12}):datastore\/(?<datastoreId>[0-9a-z]{32})(?:\/imageset\/(?<imageSetId>[0-9a-z]{32}))?$/;

export function parseResourceArn(arn: string): ParsedArn {
  const { region, accountId, datastoreId, imageSetId } = ARN_PATTERN.exec(arn)?.groups ?? {};
  if (region === undefined || accountId === undefined || datastoreId === undefined) {
    throw validation('resourceArn is not a valid medical-imaging data store or image set ARN');
  }
  return { region, accountId, datastoreId, imageSetId };
}
