import { METADATA_DETAIL, STUDY_BROWSER, VIEWER_HEADER } from './graphql-documents';
import { REST_ROUTES } from './rest-routes';
import type { ApiStyle, ReadWorkloadName, RequestTemplate } from './variants';

/** What the read workloads point at (from the fixture). */
export interface ReadTargets {
  viewerHeader: { datastoreId: string; imageSetId: string };
  studyBrowser: { datastoreId: string };
  metadataDetail: { datastoreId: string; imageSetId: string };
}

export function graphqlRequest(apiKey: string, query: string, variables: Record<string, unknown>): RequestTemplate {
  return {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ query, variables }),
  };
}

export function restGet(apiKey: string, path: string): RequestTemplate {
  return { method: 'GET', path, headers: { 'x-api-key': apiKey } };
}

export function readRequest(
  workload: ReadWorkloadName,
  style: ApiStyle,
  targets: ReadTargets,
  apiKey: string,
): RequestTemplate {
  switch (workload) {
    case 'viewer-header': {
      const { datastoreId, imageSetId } = targets.viewerHeader;
      return style === 'graphql'
        ? graphqlRequest(apiKey, VIEWER_HEADER, { datastoreId, imageSetId })
        : restGet(apiKey, REST_ROUTES.viewerHeader(datastoreId, imageSetId));
    }
    case 'study-browser': {
      const { datastoreId } = targets.studyBrowser;
      return style === 'graphql'
        ? graphqlRequest(apiKey, STUDY_BROWSER, { datastoreId })
        : restGet(apiKey, REST_ROUTES.studyBrowser(datastoreId));
    }
    case 'metadata-detail': {
      const { datastoreId, imageSetId } = targets.metadataDetail;
      return style === 'graphql'
        ? graphqlRequest(apiKey, METADATA_DETAIL, { datastoreId, imageSetId })
        : restGet(apiKey, REST_ROUTES.metadataDetail(datastoreId, imageSetId));
    }
  }
}
