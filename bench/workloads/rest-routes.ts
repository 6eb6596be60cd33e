/**
 * The routes of the hand-written server: what a team would expose for the same four screens
 * without GraphQL. The floor server answers the same paths with fixed bodies.
 */
export const REST_ROUTES = {
  viewerHeader: (datastoreId: string, imageSetId: string) =>
    `/v1/datastores/${datastoreId}/image-sets/${imageSetId}/header`,
  studyBrowser: (datastoreId: string) => `/v1/datastores/${datastoreId}/study-browser`,
  metadataDetail: (datastoreId: string, imageSetId: string) =>
    `/v1/datastores/${datastoreId}/image-sets/${imageSetId}/metadata-detail`,
  studyDescription: (datastoreId: string, imageSetId: string) =>
    `/v1/datastores/${datastoreId}/image-sets/${imageSetId}/study-description`,
  status: (datastoreId: string, imageSetId: string) => `/v1/datastores/${datastoreId}/image-sets/${imageSetId}/status`,
} as const;

export type RestRouteName = keyof typeof REST_ROUTES;

const ID = '([0-9a-z]{32})';
const PATTERNS: Array<[RestRouteName, 'GET' | 'POST', RegExp]> = [
  ['viewerHeader', 'GET', new RegExp(`^/v1/datastores/${ID}/image-sets/${ID}/header$`)],
  ['studyBrowser', 'GET', new RegExp(`^/v1/datastores/${ID}/study-browser$`)],
  ['metadataDetail', 'GET', new RegExp(`^/v1/datastores/${ID}/image-sets/${ID}/metadata-detail$`)],
  ['studyDescription', 'POST', new RegExp(`^/v1/datastores/${ID}/image-sets/${ID}/study-description$`)],
  ['status', 'GET', new RegExp(`^/v1/datastores/${ID}/image-sets/${ID}/status$`)],
];

export interface RestRouteMatch {
  route: RestRouteName;
  datastoreId: string;
  imageSetId?: string;
}

/** `undefined`: no such route, or the wrong method for it. */
export function matchRestRoute(method: string, path: string): RestRouteMatch | undefined {
  for (const [route, routeMethod, pattern] of PATTERNS) {
    const match = pattern.exec(path);
    const datastoreId = match?.[1];
    if (datastoreId !== undefined && method === routeMethod) {
      return { route, datastoreId, ...(match?.[2] ? { imageSetId: match[2] } : {}) };
    }
  }
  return undefined;
}
