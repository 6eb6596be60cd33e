/**
 * The README's "Browse" query (README.md, "What you see after `npm start`"): the explorers open on
 * it, so a newcomer runs it without typing. The browser test checks the README still shows this text.
 */
export const BROWSE_QUERY = `query Browse($ds: String!) {
  viewer {
    tenantId
    subject
    scopes
  }
  imageSets(datastoreId: $ds, first: 5, filter: { studyDate: { from: "20200101", to: "20301231" } }) {
    edges {
      node {
        imageSetId
        state
        workflowStatus
        latestVersionId
        metadata {
          patient {
            patientName
            patientId
          }
          study {
            studyDescription
            series {
              modality
              seriesDescription
              instanceCount
            }
          }
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`;

/** The variable the Browse query takes: the data store to list. */
export const BROWSE_DATASTORE_VARIABLE = 'ds';
