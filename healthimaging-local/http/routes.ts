import type { OperationName } from '../shapes/operation-names';

/**
 * The method + path table of the 18 medical-imaging operations (API 2023-07-19). Matching ignores
 * the Host header (it reads `runtime-<host>` whenever the SDK's host prefix is applied) and
 * percent-decodes each path segment, so `/tags/arn%3Aaws%3A...` yields the plain ARN.
 */
interface RouteDef {
  method: string;
  segments: string[];
  operation: OperationName;
}

const ROUTE_TABLE: Array<[string, string, OperationName]> = [
  ['POST', '/datastore', 'CreateDatastore'],
  ['GET', '/datastore', 'ListDatastores'],
  ['GET', '/datastore/{datastoreId}', 'GetDatastore'],
  ['DELETE', '/datastore/{datastoreId}', 'DeleteDatastore'],
  ['POST', '/startDICOMImportJob/datastore/{datastoreId}', 'StartDICOMImportJob'],
  ['GET', '/getDICOMImportJob/datastore/{datastoreId}/job/{jobId}', 'GetDICOMImportJob'],
  ['GET', '/listDICOMImportJobs/datastore/{datastoreId}', 'ListDICOMImportJobs'],
  ['POST', '/tags/{resourceArn}', 'TagResource'],
  ['DELETE', '/tags/{resourceArn}', 'UntagResource'],
  ['GET', '/tags/{resourceArn}', 'ListTagsForResource'],
  ['POST', '/datastore/{datastoreId}/searchImageSets', 'SearchImageSets'],
  ['POST', '/datastore/{datastoreId}/imageSet/{imageSetId}/getImageSet', 'GetImageSet'],
  ['POST', '/datastore/{datastoreId}/imageSet/{imageSetId}/getImageSetMetadata', 'GetImageSetMetadata'],
  ['POST', '/datastore/{datastoreId}/imageSet/{imageSetId}/getImageFrame', 'GetImageFrame'],
  ['POST', '/datastore/{datastoreId}/imageSet/{imageSetId}/listImageSetVersions', 'ListImageSetVersions'],
  ['POST', '/datastore/{datastoreId}/imageSet/{imageSetId}/updateImageSetMetadata', 'UpdateImageSetMetadata'],
  ['POST', '/datastore/{datastoreId}/imageSet/{imageSetId}/copyImageSet', 'CopyImageSet'],
  ['POST', '/datastore/{datastoreId}/imageSet/{imageSetId}/deleteImageSet', 'DeleteImageSet'],
];

/** Query parameters that are lists in the model, sent once per element. */
export const REPEATABLE_QUERY_PARAMETERS: Partial<Record<OperationName, readonly string[]>> = {
  UntagResource: ['tagKeys'],
};

const ROUTES: RouteDef[] = ROUTE_TABLE.map(([method, path, operation]) => ({
  method,
  segments: path.split('/').filter(Boolean),
  operation,
}));

export const OPERATION_NAMES: readonly OperationName[] = ROUTE_TABLE.map(([, , op]) => op);

export interface RouteMatch {
  operation: OperationName;
  params: Record<string, string>;
}

/** `undefined` = no such operation (the caller answers 404 UnknownOperationException). */
export function matchRoute(method: string, rawPath: string): RouteMatch | undefined {
  const rawSegments = pathSegments(rawPath);
  if (!rawSegments) return undefined;
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const params = paramsOf(route.segments, rawSegments);
    if (params) return { operation: route.operation, params };
  }
  return undefined;
}

/** The `{name}` values of a path that matches a route's segments, percent-decoded; else undefined. */
function paramsOf(segments: string[], rawSegments: string[]): Record<string, string> | undefined {
  if (segments.length !== rawSegments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, pattern] of segments.entries()) {
    const raw = rawSegments[i] ?? '';
    if (pattern.startsWith('{')) {
      const decoded = safeDecode(raw);
      if (decoded === undefined) return undefined;
      params[pattern.slice(1, -1)] = decoded;
    } else if (pattern !== raw) {
      return undefined;
    }
  }
  return params;
}

/**
 * The path's segments, or undefined when the path is not one the SDK would send: the service
 * matches paths exactly, so `/datastore/` and `//datastore` name no operation, and a `.` or `..`
 * segment (also percent-encoded) is never resolved against its neighbours.
 */
function pathSegments(rawPath: string): string[] | undefined {
  if (!rawPath.startsWith('/')) return undefined;
  const segments = rawPath.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '') return undefined;
    const decoded = safeDecode(segment);
    if (decoded === '.' || decoded === '..') return undefined;
  }
  return segments;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
