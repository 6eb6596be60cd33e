import { graphql } from './generated';

/**
 * Every GraphQL document the partner kit sends. GraphQL Code Generator's client preset reads the
 * `graphql()` calls below, types them from the gateway's schema.graphql and writes each one's
 * normalised text under its SHA-256 id to generated/persisted-documents.json: those ids are what
 * the gateway's operator lists under the partner key's `trustedDocuments`. Change a document here,
 * then run `npm run codegen` and ask the operator to register the new ids.
 */

/** Who the credential is, and the data stores its tenant is granted. */
export const PartnerStartDocument = graphql(`
  query PartnerStart {
    viewer {
      tenantId
      subject
      scopes
    }
    datastores {
      datastoreId
      name
      status
    }
  }
`);

/**
 * One page of a data store's image sets, with the search summary's DICOM tags: what a listing
 * needs without downloading any metadata document (the cheapest way to read selected metadata).
 */
export const ImageSetsPageDocument = graphql(`
  query ImageSetsPage($datastoreId: String!, $first: Int!, $after: String) {
    imageSets(datastoreId: $datastoreId, first: $first, after: $after) {
      edges {
        cursor
        node {
          imageSetId
          state
          workflowStatus
          latestVersionId
          updatedAt
          dicomTags {
            studyInstanceUid
            studyDescription
            numberOfStudyRelatedSeries
            numberOfStudyRelatedInstances
            seriesInstanceUid
            seriesModality
            seriesBodyPart
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** One page of an image set's versions, newest first. */
export const ImageSetVersionsPageDocument = graphql(`
  query ImageSetVersionsPage($datastoreId: String!, $imageSetId: String!, $first: Int!, $after: String) {
    imageSet(datastoreId: $datastoreId, imageSetId: $imageSetId) {
      imageSetId
      versions(first: $first, after: $after) {
        edges {
          cursor
          node {
            versionId
            state
            workflowStatus
            message
            updatedAt
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

/** The image set as it is now, with the Study-level attributes an update is computed from. */
export const ImageSetForUpdateDocument = graphql(`
  query ImageSetForUpdate($datastoreId: String!, $imageSetId: String!) {
    imageSet(datastoreId: $datastoreId, imageSetId: $imageSetId) {
      imageSetId
      state
      workflowStatus
      latestVersionId
      metadata {
        versionId
        study {
          studyInstanceUid
          dicom
        }
      }
    }
  }
`);

/** Starts an update of the version named by `input.latestVersionId` (optimistic concurrency). */
export const UpdateImageSetMetadataDocument = graphql(`
  mutation UpdateImageSetMetadata($input: UpdateImageSetMetadataInput!) {
    updateImageSetMetadata(input: $input) {
      imageSet {
        imageSetId
        state
        workflowStatus
        latestVersionId
      }
      version {
        versionId
      }
    }
  }
`);

/** The image set's state on every change until the write that made `untilVersionId` has settled. */
export const ImageSetChangedDocument = graphql(`
  subscription ImageSetChanged($datastoreId: String!, $imageSetId: String!, $untilVersionId: String) {
    imageSetChanged(datastoreId: $datastoreId, imageSetId: $imageSetId, untilVersionId: $untilVersionId) {
      imageSetId
      state
      workflowStatus
      latestVersionId
      message
    }
  }
`);
