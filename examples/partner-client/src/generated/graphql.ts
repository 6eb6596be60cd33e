/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Lifecycle status of a data store. */
export type DatastoreStatus =
  /** The data store is ready for imports and reads. */
  | 'ACTIVE'
  /** Creating the data store failed. */
  | 'CREATE_FAILED'
  /** The data store is being created. */
  | 'CREATING'
  /** The data store was deleted. */
  | 'DELETED'
  /** The data store is being deleted. */
  | 'DELETING'
  /** HealthImaging reported a status this gateway version does not know. */
  | 'UNKNOWN';

/** The coarse lock of an image set. Writes answer with LOCKED and finish asynchronously; poll `ImageSet.state` until it is ACTIVE again. */
export type ImageSetState =
  /** Readable and writable. */
  | 'ACTIVE'
  /** The image set was deleted. */
  | 'DELETED'
  /** An asynchronous write is running; no other write may start until it finishes. */
  | 'LOCKED'
  /** HealthImaging reported a state this gateway version does not know. */
  | 'UNKNOWN';

/** What happened, or is happening, to a version of an image set. `…ING` values mean an asynchronous write is still running; `…_FAILED` values come with a `message`. */
export type ImageSetWorkflowStatus =
  /** A copy into (or out of) this image set finished. */
  | 'COPIED'
  /** A copy into this image set is running. */
  | 'COPYING'
  /** This image set is the source of a running copy: readable, not writable. */
  | 'COPYING_WITH_READ_ONLY_ACCESS'
  /** A copy into this image set failed; see `message`. */
  | 'COPY_FAILED'
  /** The image set was created. */
  | 'CREATED'
  /** The image set was deleted. */
  | 'DELETED'
  /** A delete is running. */
  | 'DELETING'
  /** A DICOM import into this image set finished. */
  | 'IMPORTED'
  /** A DICOM import into this image set is running. */
  | 'IMPORTING'
  /** A DICOM import into this image set failed; see `message`. */
  | 'IMPORT_FAILED'
  /** HealthImaging reported a status this gateway version does not know. */
  | 'UNKNOWN'
  /** A metadata update or revert finished. */
  | 'UPDATED'
  /** A metadata update or revert failed; see `message`. */
  | 'UPDATE_FAILED'
  /** A metadata update or revert is running. */
  | 'UPDATING'
  /** An update applied to every primary image set of the study is running. */
  | 'UPDATING_FOR_STUDY_CONSISTENCY';

/** Attributes of one SOP instance. */
export type InstanceAttributesInput = {
  /** Instance-level attributes keyed by DICOM keyword or 8-hex-digit private tag (private tags need `vrs` in updates). */
  attributes: Record<string, unknown>;
  /** Series Instance UID of the series holding the instance. */
  seriesInstanceUid: string;
  /** SOP Instance UID of the instance. */
  sopInstanceUid: string;
  /** Value representations of private (hex-tag) attributes, keyed by tag, e.g. `{"00091001": "LO"}`. */
  vrs?: Record<string, unknown> | null | undefined;
};

/** Names one SOP instance. */
export type InstanceRefInput = {
  /** Series Instance UID of the series holding the instance. */
  seriesInstanceUid: string;
  /** SOP Instance UID of the instance. */
  sopInstanceUid: string;
};

/** DICOM attributes grouped by level, as HealthImaging stores them. Each attribute must be given at its proper level; keywords are checked against the DICOM dictionary. */
export type LevelAttributesInput = {
  /** Instance-level attributes, per instance. */
  instances?: Array<InstanceAttributesInput> | null | undefined;
  /** Patient-level attributes keyed by DICOM keyword. */
  patient?: Record<string, unknown> | null | undefined;
  /** Series-level attributes, per series. */
  series?: Array<SeriesAttributesInput> | null | undefined;
  /** Study-level attributes keyed by DICOM keyword. */
  study?: Record<string, unknown> | null | undefined;
};

/** What to remove: attributes level by level (for a plain attribute the given value must equal the stored one), and whole series or instances. */
export type MetadataRemovalsInput = {
  /** Instance-level attributes, per instance. */
  instances?: Array<InstanceAttributesInput> | null | undefined;
  /** Patient-level attributes keyed by DICOM keyword. */
  patient?: Record<string, unknown> | null | undefined;
  /** Whole SOP instances to remove. */
  removeInstances?: Array<InstanceRefInput> | null | undefined;
  /** Series Instance UIDs of whole series to remove. */
  removeSeries?: Array<string> | null | undefined;
  /** Series-level attributes, per series. */
  series?: Array<SeriesAttributesInput> | null | undefined;
  /** Study-level attributes keyed by DICOM keyword. */
  study?: Record<string, unknown> | null | undefined;
};

/** Attributes of one series. */
export type SeriesAttributesInput = {
  /** Series-level attributes keyed by DICOM keyword, e.g. `{"SeriesDescription": "AXIAL"}`. */
  attributes: Record<string, unknown>;
  /** Series Instance UID of a series in the image set. */
  seriesInstanceUid: string;
};

/** Insert, replace and/or remove DICOM attributes; creates a new version of the image set. */
export type UpdateImageSetMetadataInput = {
  /** The data store holding the image set. */
  datastoreId: string;
  /** Needed to change Study/Series/SOP Instance UIDs or Study ID, private attributes, sequences and multi-valued attributes (never allowed for UIDs of primary image sets). */
  force?: boolean;
  /** Id of the image set to update. */
  imageSetId: string;
  /** The current latest version id; a stale value fails with VERSION_CONFLICT (re-read and retry). */
  latestVersionId: string;
  /** Attributes, series or instances to remove. At least one of `updates` and `removals` is needed. */
  removals?: MetadataRemovalsInput | null | undefined;
  /** Attributes to insert or replace. */
  updates?: LevelAttributesInput | null | undefined;
};

export type PartnerStartQueryVariables = Exact<{ [key: string]: never; }>;


export type PartnerStartQuery = { viewer: { tenantId: string, subject: string, scopes: Array<string> } | null, datastores: Array<{ datastoreId: string, name: string, status: DatastoreStatus }> | null };

export type ImageSetsPageQueryVariables = Exact<{
  datastoreId: string;
  first: number;
  after?: string | null | undefined;
}>;


export type ImageSetsPageQuery = { imageSets: { edges: Array<{ cursor: string, node: { imageSetId: string, state: ImageSetState | null, workflowStatus: ImageSetWorkflowStatus | null, latestVersionId: string | null, updatedAt: string | null, dicomTags: { studyInstanceUid: string | null, studyDescription: string | null, numberOfStudyRelatedSeries: number | null, numberOfStudyRelatedInstances: number | null, seriesInstanceUid: string | null, seriesModality: string | null, seriesBodyPart: string | null } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null };

export type ImageSetVersionsPageQueryVariables = Exact<{
  datastoreId: string;
  imageSetId: string;
  first: number;
  after?: string | null | undefined;
}>;


export type ImageSetVersionsPageQuery = { imageSet: { imageSetId: string, versions: { edges: Array<{ cursor: string, node: { versionId: string, state: ImageSetState | null, workflowStatus: ImageSetWorkflowStatus | null, message: string | null, updatedAt: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null } | null };

export type ImageSetForUpdateQueryVariables = Exact<{
  datastoreId: string;
  imageSetId: string;
}>;


export type ImageSetForUpdateQuery = { imageSet: { imageSetId: string, state: ImageSetState | null, workflowStatus: ImageSetWorkflowStatus | null, latestVersionId: string | null, metadata: { versionId: string, study: { studyInstanceUid: string | null, dicom: Record<string, unknown> } | null } | null } | null };

export type UpdateImageSetMetadataMutationVariables = Exact<{
  input: UpdateImageSetMetadataInput;
}>;


export type UpdateImageSetMetadataMutation = { updateImageSetMetadata: { imageSet: { imageSetId: string, state: ImageSetState | null, workflowStatus: ImageSetWorkflowStatus | null, latestVersionId: string | null }, version: { versionId: string } } | null };

export type ImageSetChangedSubscriptionVariables = Exact<{
  datastoreId: string;
  imageSetId: string;
  untilVersionId?: string | null | undefined;
}>;


export type ImageSetChangedSubscription = { imageSetChanged: { imageSetId: string, state: ImageSetState | null, workflowStatus: ImageSetWorkflowStatus | null, latestVersionId: string | null, message: string | null } | null };


export const PartnerStartDocument = {"__meta__":{"hash":"sha256:b777e631b0eded729a5779d05c9a54dc0ced00deae0508c2f2a60ccf5a3dd215"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PartnerStart"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tenantId"}},{"kind":"Field","name":{"kind":"Name","value":"subject"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"datastores"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"datastoreId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<PartnerStartQuery, PartnerStartQueryVariables>;
export const ImageSetsPageDocument = {"__meta__":{"hash":"sha256:d7fa6ed380668fbcf9974bc2e621360f100bf85aa2314f1d1fae7011404bcac6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ImageSetsPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"datastoreId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imageSets"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"datastoreId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"datastoreId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imageSetId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"workflowStatus"}},{"kind":"Field","name":{"kind":"Name","value":"latestVersionId"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"dicomTags"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"studyInstanceUid"}},{"kind":"Field","name":{"kind":"Name","value":"studyDescription"}},{"kind":"Field","name":{"kind":"Name","value":"numberOfStudyRelatedSeries"}},{"kind":"Field","name":{"kind":"Name","value":"numberOfStudyRelatedInstances"}},{"kind":"Field","name":{"kind":"Name","value":"seriesInstanceUid"}},{"kind":"Field","name":{"kind":"Name","value":"seriesModality"}},{"kind":"Field","name":{"kind":"Name","value":"seriesBodyPart"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<ImageSetsPageQuery, ImageSetsPageQueryVariables>;
export const ImageSetVersionsPageDocument = {"__meta__":{"hash":"sha256:b32a8c9766377bae0b70d35a7a242e37b476d9d7a1c67d82b1b0347031b506ef"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ImageSetVersionsPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"datastoreId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"imageSetId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imageSet"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"datastoreId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"datastoreId"}}},{"kind":"Argument","name":{"kind":"Name","value":"imageSetId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"imageSetId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imageSetId"}},{"kind":"Field","name":{"kind":"Name","value":"versions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"versionId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"workflowStatus"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ImageSetVersionsPageQuery, ImageSetVersionsPageQueryVariables>;
export const ImageSetForUpdateDocument = {"__meta__":{"hash":"sha256:327f291b706f22f8c552821e2bf1bd16cafd1647040abec304e4afd876073621"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ImageSetForUpdate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"datastoreId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"imageSetId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imageSet"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"datastoreId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"datastoreId"}}},{"kind":"Argument","name":{"kind":"Name","value":"imageSetId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"imageSetId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imageSetId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"workflowStatus"}},{"kind":"Field","name":{"kind":"Name","value":"latestVersionId"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"versionId"}},{"kind":"Field","name":{"kind":"Name","value":"study"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"studyInstanceUid"}},{"kind":"Field","name":{"kind":"Name","value":"dicom"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ImageSetForUpdateQuery, ImageSetForUpdateQueryVariables>;
export const UpdateImageSetMetadataDocument = {"__meta__":{"hash":"sha256:f7931375bc0b513e982f06d7c21568bd281052096f75d9b0d4b004db056979c0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateImageSetMetadata"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateImageSetMetadataInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateImageSetMetadata"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imageSet"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imageSetId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"workflowStatus"}},{"kind":"Field","name":{"kind":"Name","value":"latestVersionId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"version"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"versionId"}}]}}]}}]}}]} as unknown as DocumentNode<UpdateImageSetMetadataMutation, UpdateImageSetMetadataMutationVariables>;
export const ImageSetChangedDocument = {"__meta__":{"hash":"sha256:3f0b8cf71be06b9753ab2feaa9df316619fb0a8f7d3dcf83d326544af62406bd"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ImageSetChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"datastoreId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"imageSetId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"untilVersionId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imageSetChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"datastoreId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"datastoreId"}}},{"kind":"Argument","name":{"kind":"Name","value":"imageSetId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"imageSetId"}}},{"kind":"Argument","name":{"kind":"Name","value":"untilVersionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"untilVersionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imageSetId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"workflowStatus"}},{"kind":"Field","name":{"kind":"Name","value":"latestVersionId"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<ImageSetChangedSubscription, ImageSetChangedSubscriptionVariables>;