/**
 * The GraphQL operations of the four workloads, as a frontend would send them. None selects a
 * cursor or a global id: both are signed and may carry a timestamp, and every response body of
 * a run must be byte-identical to the verified one.
 */

/** (a) viewer header: one image set with its state and its first 10 versions. */
export const VIEWER_HEADER = /* GraphQL */ `
  query ViewerHeader($datastoreId: String!, $imageSetId: String!) {
    imageSet(datastoreId: $datastoreId, imageSetId: $imageSetId) {
      imageSetId
      state
      workflowStatus
      latestVersionId
      createdAt
      updatedAt
      versions(first: 10) {
        edges {
          node {
            versionId
            state
            workflowStatus
            createdAt
            updatedAt
            message
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`;

/**
 * (b) study browser: a page of 20 search results, each with its state (GetImageSet), what search
 * already returns, and its series with modality and instance count (the metadata document).
 */
export const STUDY_BROWSER = /* GraphQL */ `
  query StudyBrowser($datastoreId: String!) {
    imageSets(datastoreId: $datastoreId, first: 20, sort: { field: STUDY_DATE_AND_TIME, order: DESC }) {
      edges {
        node {
          imageSetId
          state
          workflowStatus
          dicomTags {
            patientName
            studyDate
            studyDescription
          }
          metadata {
            study {
              studyDescription
              series {
                seriesInstanceUid
                modality
                instanceCount
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`;

/** (c) metadata detail: the typed patient, study, series and first page of instances of a 2,000-instance image set. */
export const METADATA_DETAIL = /* GraphQL */ `
  query MetadataDetail($datastoreId: String!, $imageSetId: String!) {
    imageSet(datastoreId: $datastoreId, imageSetId: $imageSetId) {
      imageSetId
      latestVersionId
      metadata {
        patient {
          patientName
          patientId
          sex
        }
        study {
          studyInstanceUid
          studyDescription
          studyDate
          accessionNumber
          series {
            seriesInstanceUid
            modality
            seriesNumber
            seriesDescription
            instanceCount
            instances(first: 50) {
              edges {
                node {
                  sopInstanceUid
                  instanceNumber
                  sopClassUid
                  frames {
                    id
                    width
                    height
                  }
                }
              }
              pageInfo {
                hasNextPage
              }
            }
          }
        }
      }
    }
  }
`;

/** (d) write mix, first half: set the study description. */
export const WRITE_UPDATE = /* GraphQL */ `
  mutation WriteMixUpdate($input: UpdateImageSetMetadataInput!) {
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
`;

/** (d) write mix, second half: read the image set back. */
export const WRITE_READ_BACK = /* GraphQL */ `
  query WriteMixReadBack($datastoreId: String!, $imageSetId: String!) {
    imageSet(datastoreId: $datastoreId, imageSetId: $imageSetId) {
      imageSetId
      state
      workflowStatus
      latestVersionId
    }
  }
`;
