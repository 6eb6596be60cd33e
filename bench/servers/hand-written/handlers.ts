import {
  GetImageSetCommand,
  ListImageSetVersionsCommand,
  SearchImageSetsCommand,
  UpdateImageSetMetadataCommand,
  type GetImageSetCommandOutput,
  type MedicalImagingClient,
} from '@aws-sdk/client-medical-imaging';
import { byNumberThenUid, frames, int, text } from './dicom-json';
import { fetchMetadata } from './metadata-fetch';

/**
 * The four screens' endpoints written straight against the SDK: independent calls go out
 * together (Promise.all), nothing is cached, and the JSON is shaped exactly like the GraphQL
 * answer so that the bench can hold every variant to the same bytes.
 */
const iso = (date: Date | undefined): string | null => (date instanceof Date ? date.toISOString() : null);

function imageSetStatus(output: GetImageSetCommandOutput): { state: string; workflowStatus: string | null } {
  return { state: output.imageSetState ?? 'UNKNOWN', workflowStatus: output.imageSetWorkflowStatus ?? null };
}

export async function viewerHeader(
  client: MedicalImagingClient,
  datastoreId: string,
  imageSetId: string,
): Promise<unknown> {
  const [imageSet, versions] = await Promise.all([
    client.send(new GetImageSetCommand({ datastoreId, imageSetId })),
    client.send(new ListImageSetVersionsCommand({ datastoreId, imageSetId, maxResults: 10 })),
  ]);
  const items = versions.imageSetPropertiesList ?? [];
  return {
    imageSet: {
      imageSetId,
      ...imageSetStatus(imageSet),
      latestVersionId: imageSet.versionId,
      createdAt: iso(imageSet.createdAt),
      updatedAt: iso(imageSet.updatedAt),
      versions: {
        edges: items.slice(0, 10).map((version) => ({
          node: {
            versionId: version.versionId,
            state: version.imageSetState ?? 'UNKNOWN',
            workflowStatus: version.ImageSetWorkflowStatus ?? null,
            createdAt: iso(version.createdAt),
            updatedAt: iso(version.updatedAt),
            message: version.message ?? null,
          },
        })),
        pageInfo: { hasNextPage: versions.nextToken !== undefined || items.length > 10 },
      },
    },
  };
}

export async function studyBrowser(client: MedicalImagingClient, datastoreId: string): Promise<unknown> {
  const search = await client.send(
    new SearchImageSetsCommand({
      datastoreId,
      maxResults: 20,
      searchCriteria: { sort: { sortField: 'DICOMStudyDateAndTime', sortOrder: 'DESC' } },
    }),
  );
  const summaries = search.imageSetsMetadataSummaries ?? [];
  const nodes = await Promise.all(
    summaries.slice(0, 20).map(async (summary) => {
      const imageSetId = summary.imageSetId!;
      const [imageSet, metadata] = await Promise.all([
        client.send(new GetImageSetCommand({ datastoreId, imageSetId })),
        fetchMetadata(client, datastoreId, imageSetId, String(summary.version)),
      ]);
      const seriesMap = metadata.Study?.Series ?? {};
      const tags = summary.DICOMTags ?? {};
      return {
        node: {
          imageSetId,
          ...imageSetStatus(imageSet),
          dicomTags: {
            patientName: tags.DICOMPatientName ?? null,
            studyDate: tags.DICOMStudyDate ?? null,
            studyDescription: tags.DICOMStudyDescription ?? null,
          },
          metadata: {
            study: {
              studyDescription: text(metadata.Study?.DICOM?.StudyDescription),
              series: byNumberThenUid(seriesMap, (series) => int(series.DICOM?.SeriesNumber)).map(([uid, series]) => ({
                seriesInstanceUid: uid,
                modality: text(series.DICOM?.Modality),
                instanceCount: Object.keys(series.Instances ?? {}).length,
              })),
            },
          },
        },
      };
    }),
  );
  return {
    imageSets: {
      edges: nodes,
      pageInfo: { hasNextPage: search.nextToken !== undefined || summaries.length > 20 },
    },
  };
}

const INSTANCES_PAGE = 50;

export async function metadataDetail(
  client: MedicalImagingClient,
  datastoreId: string,
  imageSetId: string,
): Promise<unknown> {
  const [imageSet, metadata] = await Promise.all([
    client.send(new GetImageSetCommand({ datastoreId, imageSetId })),
    fetchMetadata(client, datastoreId, imageSetId),
  ]);
  const patient = metadata.Patient?.DICOM ?? {};
  const study = metadata.Study?.DICOM ?? {};
  const seriesMap = metadata.Study?.Series ?? {};
  return {
    imageSet: {
      imageSetId,
      latestVersionId: imageSet.versionId,
      metadata: {
        patient: {
          patientName: text(patient.PatientName),
          patientId: text(patient.PatientID),
          sex: text(patient.PatientSex),
        },
        study: {
          studyInstanceUid: text(study.StudyInstanceUID),
          studyDescription: text(study.StudyDescription),
          studyDate: text(study.StudyDate),
          accessionNumber: text(study.AccessionNumber),
          series: byNumberThenUid(seriesMap, (series) => int(series.DICOM?.SeriesNumber)).map(([seriesUid, series]) => {
            const instances = series.Instances ?? {};
            const ordered = byNumberThenUid(instances, (instance) => int(instance.DICOM?.InstanceNumber));
            return {
              seriesInstanceUid: seriesUid,
              modality: text(series.DICOM?.Modality),
              seriesNumber: int(series.DICOM?.SeriesNumber),
              seriesDescription: text(series.DICOM?.SeriesDescription),
              instanceCount: ordered.length,
              instances: {
                edges: ordered.slice(0, INSTANCES_PAGE).map(([sopUid, instance]) => {
                  return {
                    node: {
                      sopInstanceUid: sopUid,
                      instanceNumber: int(instance.DICOM?.InstanceNumber),
                      sopClassUid: text(instance.DICOM?.SOPClassUID),
                      frames: frames(instance),
                    },
                  };
                }),
                pageInfo: { hasNextPage: ordered.length > INSTANCES_PAGE },
              },
            };
          }),
        },
      },
    },
  };
}

export async function setStudyDescription(
  client: MedicalImagingClient,
  datastoreId: string,
  imageSetId: string,
  input: { latestVersionId: string; studyDescription: string },
): Promise<unknown> {
  const document = { SchemaVersion: '1.1', Study: { DICOM: { StudyDescription: input.studyDescription } } };
  const output = await client.send(
    new UpdateImageSetMetadataCommand({
      datastoreId,
      imageSetId,
      latestVersionId: input.latestVersionId,
      updateImageSetMetadataUpdates: {
        DICOMUpdates: { updatableAttributes: new TextEncoder().encode(JSON.stringify(document)) },
      },
    }),
  );
  return {
    updateImageSetMetadata: {
      imageSet: {
        imageSetId,
        state: output.imageSetState ?? 'UNKNOWN',
        workflowStatus: output.imageSetWorkflowStatus ?? null,
        latestVersionId: output.latestVersionId,
      },
      version: { versionId: output.latestVersionId },
    },
  };
}

export async function imageSetStatusOf(
  client: MedicalImagingClient,
  datastoreId: string,
  imageSetId: string,
): Promise<unknown> {
  const output = await client.send(new GetImageSetCommand({ datastoreId, imageSetId }));
  return { imageSet: { imageSetId, ...imageSetStatus(output), latestVersionId: output.versionId } };
}
