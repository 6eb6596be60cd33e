/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query PartnerStart {\n    viewer {\n      tenantId\n      subject\n      scopes\n    }\n    datastores {\n      datastoreId\n      name\n      status\n    }\n  }\n": typeof types.PartnerStartDocument,
    "\n  query ImageSetsPage($datastoreId: String!, $first: Int!, $after: String) {\n    imageSets(datastoreId: $datastoreId, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          imageSetId\n          state\n          workflowStatus\n          latestVersionId\n          updatedAt\n          dicomTags {\n            studyInstanceUid\n            studyDescription\n            numberOfStudyRelatedSeries\n            numberOfStudyRelatedInstances\n            seriesInstanceUid\n            seriesModality\n            seriesBodyPart\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ImageSetsPageDocument,
    "\n  query ImageSetVersionsPage($datastoreId: String!, $imageSetId: String!, $first: Int!, $after: String) {\n    imageSet(datastoreId: $datastoreId, imageSetId: $imageSetId) {\n      imageSetId\n      versions(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            versionId\n            state\n            workflowStatus\n            message\n            updatedAt\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.ImageSetVersionsPageDocument,
    "\n  query ImageSetForUpdate($datastoreId: String!, $imageSetId: String!) {\n    imageSet(datastoreId: $datastoreId, imageSetId: $imageSetId) {\n      imageSetId\n      state\n      workflowStatus\n      latestVersionId\n      metadata {\n        versionId\n        study {\n          studyInstanceUid\n          dicom\n        }\n      }\n    }\n  }\n": typeof types.ImageSetForUpdateDocument,
    "\n  mutation UpdateImageSetMetadata($input: UpdateImageSetMetadataInput!) {\n    updateImageSetMetadata(input: $input) {\n      imageSet {\n        imageSetId\n        state\n        workflowStatus\n        latestVersionId\n      }\n      version {\n        versionId\n      }\n    }\n  }\n": typeof types.UpdateImageSetMetadataDocument,
    "\n  subscription ImageSetChanged($datastoreId: String!, $imageSetId: String!, $untilVersionId: String) {\n    imageSetChanged(datastoreId: $datastoreId, imageSetId: $imageSetId, untilVersionId: $untilVersionId) {\n      imageSetId\n      state\n      workflowStatus\n      latestVersionId\n      message\n    }\n  }\n": typeof types.ImageSetChangedDocument,
};
const documents: Documents = {
    "\n  query PartnerStart {\n    viewer {\n      tenantId\n      subject\n      scopes\n    }\n    datastores {\n      datastoreId\n      name\n      status\n    }\n  }\n": types.PartnerStartDocument,
    "\n  query ImageSetsPage($datastoreId: String!, $first: Int!, $after: String) {\n    imageSets(datastoreId: $datastoreId, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          imageSetId\n          state\n          workflowStatus\n          latestVersionId\n          updatedAt\n          dicomTags {\n            studyInstanceUid\n            studyDescription\n            numberOfStudyRelatedSeries\n            numberOfStudyRelatedInstances\n            seriesInstanceUid\n            seriesModality\n            seriesBodyPart\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ImageSetsPageDocument,
    "\n  query ImageSetVersionsPage($datastoreId: String!, $imageSetId: String!, $first: Int!, $after: String) {\n    imageSet(datastoreId: $datastoreId, imageSetId: $imageSetId) {\n      imageSetId\n      versions(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            versionId\n            state\n            workflowStatus\n            message\n            updatedAt\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.ImageSetVersionsPageDocument,
    "\n  query ImageSetForUpdate($datastoreId: String!, $imageSetId: String!) {\n    imageSet(datastoreId: $datastoreId, imageSetId: $imageSetId) {\n      imageSetId\n      state\n      workflowStatus\n      latestVersionId\n      metadata {\n        versionId\n        study {\n          studyInstanceUid\n          dicom\n        }\n      }\n    }\n  }\n": types.ImageSetForUpdateDocument,
    "\n  mutation UpdateImageSetMetadata($input: UpdateImageSetMetadataInput!) {\n    updateImageSetMetadata(input: $input) {\n      imageSet {\n        imageSetId\n        state\n        workflowStatus\n        latestVersionId\n      }\n      version {\n        versionId\n      }\n    }\n  }\n": types.UpdateImageSetMetadataDocument,
    "\n  subscription ImageSetChanged($datastoreId: String!, $imageSetId: String!, $untilVersionId: String) {\n    imageSetChanged(datastoreId: $datastoreId, imageSetId: $imageSetId, untilVersionId: $untilVersionId) {\n      imageSetId\n      state\n      workflowStatus\n      latestVersionId\n      message\n    }\n  }\n": types.ImageSetChangedDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PartnerStart {\n    viewer {\n      tenantId\n      subject\n      scopes\n    }\n    datastores {\n      datastoreId\n      name\n      status\n    }\n  }\n"): (typeof documents)["\n  query PartnerStart {\n    viewer {\n      tenantId\n      subject\n      scopes\n    }\n    datastores {\n      datastoreId\n      name\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ImageSetsPage($datastoreId: String!, $first: Int!, $after: String) {\n    imageSets(datastoreId: $datastoreId, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          imageSetId\n          state\n          workflowStatus\n          latestVersionId\n          updatedAt\n          dicomTags {\n            studyInstanceUid\n            studyDescription\n            numberOfStudyRelatedSeries\n            numberOfStudyRelatedInstances\n            seriesInstanceUid\n            seriesModality\n            seriesBodyPart\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ImageSetsPage($datastoreId: String!, $first: Int!, $after: String) {\n    imageSets(datastoreId: $datastoreId, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          imageSetId\n          state\n          workflowStatus\n          latestVersionId\n          updatedAt\n          dicomTags {\n            studyInstanceUid\n            studyDescription\n            numberOfStudyRelatedSeries\n            numberOfStudyRelatedInstances\n            seriesInstanceUid\n            seriesModality\n            seriesBodyPart\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ImageSetVersionsPage($datastoreId: String!, $imageSetId: String!, $first: Int!, $after: String) {\n    imageSet(datastoreId: $datastoreId, imageSetId: $imageSetId) {\n      imageSetId\n      versions(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            versionId\n            state\n            workflowStatus\n            message\n            updatedAt\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ImageSetVersionsPage($datastoreId: String!, $imageSetId: String!, $first: Int!, $after: String) {\n    imageSet(datastoreId: $datastoreId, imageSetId: $imageSetId) {\n      imageSetId\n      versions(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            versionId\n            state\n            workflowStatus\n            message\n            updatedAt\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ImageSetForUpdate($datastoreId: String!, $imageSetId: String!) {\n    imageSet(datastoreId: $datastoreId, imageSetId: $imageSetId) {\n      imageSetId\n      state\n      workflowStatus\n      latestVersionId\n      metadata {\n        versionId\n        study {\n          studyInstanceUid\n          dicom\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ImageSetForUpdate($datastoreId: String!, $imageSetId: String!) {\n    imageSet(datastoreId: $datastoreId, imageSetId: $imageSetId) {\n      imageSetId\n      state\n      workflowStatus\n      latestVersionId\n      metadata {\n        versionId\n        study {\n          studyInstanceUid\n          dicom\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateImageSetMetadata($input: UpdateImageSetMetadataInput!) {\n    updateImageSetMetadata(input: $input) {\n      imageSet {\n        imageSetId\n        state\n        workflowStatus\n        latestVersionId\n      }\n      version {\n        versionId\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateImageSetMetadata($input: UpdateImageSetMetadataInput!) {\n    updateImageSetMetadata(input: $input) {\n      imageSet {\n        imageSetId\n        state\n        workflowStatus\n        latestVersionId\n      }\n      version {\n        versionId\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ImageSetChanged($datastoreId: String!, $imageSetId: String!, $untilVersionId: String) {\n    imageSetChanged(datastoreId: $datastoreId, imageSetId: $imageSetId, untilVersionId: $untilVersionId) {\n      imageSetId\n      state\n      workflowStatus\n      latestVersionId\n      message\n    }\n  }\n"): (typeof documents)["\n  subscription ImageSetChanged($datastoreId: String!, $imageSetId: String!, $untilVersionId: String) {\n    imageSetChanged(datastoreId: $datastoreId, imageSetId: $imageSetId, untilVersionId: $untilVersionId) {\n      imageSetId\n      state\n      workflowStatus\n      latestVersionId\n      message\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;