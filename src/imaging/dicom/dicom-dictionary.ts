import { suggestionList } from 'graphql/jsutils/suggestionList';

/**
 * The DICOM knowledge the gateway needs to check metadata changes before they are sent: the PS3.6
 * registry (from dcmjs, never typed by hand) and the level a keyword lives at in a HealthImaging
 * metadata document.
 *
 * Level tables. HealthImaging's developer guide ("DICOM support > Metadata normalization",
 * https://docs.aws.amazon.com/healthimaging/latest/devguide/metadata-normalization.html) builds
 * the Patient, Study and Series levels from these DICOM PS3.3 modules, and everything else is
 * kept per instance:
 *   Patient: Patient module (C.7.1.1, with the Issuer of Patient ID macro and the patient
 *            identification/demographic attributes of the Patient IE), Clinical Trial Subject
 *            module (C.7.1.3);
 *   Study:   General Study (C.7.2.1), Patient Study (C.7.2.2), Clinical Trial Study (C.7.2.3);
 *   Series:  General Series (C.7.3.1), Clinical Trial Series (C.7.3.2).
 * Frame of Reference (C.7.4.1) and General Equipment (C.7.5.1) attributes are found at series
 * level in documents the service returns (e.g. FrameOfReferenceUID, Manufacturer) when every
 * instance agrees, and per instance otherwise; they are accepted at either level.
 */

interface DcmjsEntry {
  tag: string;
  vr: string;
  vm: string;
  name: string;
}

// dcmjs ships no type declarations; this is the slice of its API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- dcmjs has no type declarations to import by
const dcmjs = require('dcmjs') as {
  data: {
    DicomMetaDictionary: {
      nameMap: Record<string, DcmjsEntry | undefined>;
      dictionary: Record<string, DcmjsEntry | undefined>;
    };
  };
};
const { nameMap, dictionary } = dcmjs.data.DicomMetaDictionary;

export type MetadataLevel = 'PATIENT' | 'STUDY' | 'SERIES' | 'INSTANCE';

export interface DicomElement {
  keyword: string;
  /** `(GGGG,EEEE)`. */
  tag: string;
  vr: string;
  vm: string;
}

/** Changing these needs `force=true` upstream (UpdateImageSetMetadata API reference, `force`). */
export const FORCE_REQUIRED_KEYWORDS: readonly string[] = [
  'StudyInstanceUID',
  'SeriesInstanceUID',
  'SOPInstanceUID',
  'StudyID',
];

/** Fields HealthImaging generates itself; no update may name them (developer guide, constraints). */
export const SERVICE_GENERATED_KEYS: ReadonlySet<string> = new Set([
  'SchemaVersion',
  'DatastoreID',
  'ImageSetID',
  'PixelData',
  'Checksum',
  'Width',
  'Height',
  'MinPixelValue',
  'MaxPixelValue',
  'FrameSizeInBytes',
  'ImageFrames',
  'StoredTransferSyntaxUID',
  'ChecksumType',
  'PixelDataChecksumFromBaseToFullResolution',
]);

/** Value representations of PS3.5 table 6.2-1. */
export const DICOM_VRS: ReadonlySet<string> = new Set([
  'AE',
  'AS',
  'AT',
  'CS',
  'DA',
  'DS',
  'DT',
  'FD',
  'FL',
  'IS',
  'LO',
  'LT',
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'PN',
  'SH',
  'SL',
  'SQ',
  'SS',
  'ST',
  'SV',
  'TM',
  'UC',
  'UI',
  'UL',
  'UN',
  'UR',
  'US',
  'UT',
  'UV',
]);

const PATIENT_KEYWORDS = [
  // Patient module, Issuer of Patient ID macro
  'PatientName',
  'PatientID',
  'IssuerOfPatientID',
  'IssuerOfPatientIDQualifiersSequence',
  'TypeOfPatientID',
  'PatientBirthDate',
  'PatientBirthTime',
  'PatientBirthDateInAlternativeCalendar',
  'PatientDeathDateInAlternativeCalendar',
  'PatientAlternativeCalendar',
  'PatientSex',
  'ReferencedPatientPhotoSequence',
  'QualityControlSubject',
  'ReferencedPatientSequence',
  'OtherPatientIDs',
  'OtherPatientIDsSequence',
  'OtherPatientNames',
  'EthnicGroup',
  'PatientComments',
  'PatientSpeciesDescription',
  'PatientSpeciesCodeSequence',
  'PatientBreedDescription',
  'PatientBreedCodeSequence',
  'BreedRegistrationSequence',
  'StrainDescription',
  'StrainNomenclature',
  'StrainStockNumber',
  'StrainSourceRegistryCodeSequence',
  'StrainStockSequence',
  'StrainSource',
  'StrainAdditionalInformation',
  'StrainCodeSequence',
  'GeneticModificationsSequence',
  'ResponsiblePerson',
  'ResponsiblePersonRole',
  'ResponsibleOrganization',
  'PatientIdentityRemoved',
  'DeidentificationMethod',
  'DeidentificationMethodCodeSequence',
  'SourcePatientGroupIdentificationSequence',
  'GroupOfPatientsIdentificationSequence',
  // Clinical Trial Subject module
  'ClinicalTrialSponsorName',
  'ClinicalTrialProtocolID',
  'ClinicalTrialProtocolName',
  'ClinicalTrialSiteID',
  'ClinicalTrialSiteName',
  'ClinicalTrialSubjectID',
  'ClinicalTrialSubjectReadingID',
  'ClinicalTrialProtocolEthicsCommitteeName',
  'ClinicalTrialProtocolEthicsCommitteeApprovalNumber',
  // Patient identification and demographics of the Patient IE (PS3.4 C.6.1.1.2)
  'PatientBirthName',
  'PatientMotherBirthName',
  'PatientAddress',
  'PatientTelephoneNumbers',
  'CountryOfResidence',
  'RegionOfResidence',
  'MilitaryRank',
  'BranchOfService',
  'PatientReligiousPreference',
  'MedicalRecordLocator',
  'PatientInsurancePlanCodeSequence',
  'PatientPrimaryLanguageCodeSequence',
];

const STUDY_KEYWORDS = [
  // General Study module
  'StudyInstanceUID',
  'StudyDate',
  'StudyTime',
  'ReferringPhysicianName',
  'ReferringPhysicianIdentificationSequence',
  'ConsultingPhysicianName',
  'ConsultingPhysicianIdentificationSequence',
  'StudyID',
  'AccessionNumber',
  'IssuerOfAccessionNumberSequence',
  'StudyDescription',
  'PhysiciansOfRecord',
  'PhysiciansOfRecordIdentificationSequence',
  'NameOfPhysiciansReadingStudy',
  'PhysiciansReadingStudyIdentificationSequence',
  'RequestingServiceCodeSequence',
  'ReferencedStudySequence',
  'ProcedureCodeSequence',
  'ReasonForPerformedProcedureCodeSequence',
  // Patient Study module
  'AdmittingDiagnosesDescription',
  'AdmittingDiagnosesCodeSequence',
  'PatientAge',
  'PatientSize',
  'PatientWeight',
  'PatientBodyMassIndex',
  'MeasuredAPDimension',
  'MeasuredLateralDimension',
  'PatientSizeCodeSequence',
  'MedicalAlerts',
  'Allergies',
  'SmokingStatus',
  'PregnancyStatus',
  'LastMenstrualDate',
  'PatientState',
  'Occupation',
  'AdditionalPatientHistory',
  'AdmissionID',
  'IssuerOfAdmissionIDSequence',
  'ServiceEpisodeID',
  'IssuerOfServiceEpisodeIDSequence',
  'ServiceEpisodeDescription',
  'PatientSexNeutered',
  'ReasonForVisit',
  'ReasonForVisitCodeSequence',
  // Clinical Trial Study module
  'ClinicalTrialTimePointID',
  'ClinicalTrialTimePointDescription',
  'LongitudinalTemporalOffsetFromEvent',
  'LongitudinalTemporalEventType',
  'ConsentForClinicalTrialUseSequence',
];

const SERIES_KEYWORDS = [
  // General Series module
  'Modality',
  'SeriesInstanceUID',
  'SeriesNumber',
  'Laterality',
  'SeriesDate',
  'SeriesTime',
  'PerformingPhysicianName',
  'PerformingPhysicianIdentificationSequence',
  'ProtocolName',
  'SeriesDescription',
  'SeriesDescriptionCodeSequence',
  'OperatorsName',
  'OperatorIdentificationSequence',
  'ReferencedPerformedProcedureStepSequence',
  'RelatedSeriesSequence',
  'BodyPartExamined',
  'PatientPosition',
  'SmallestPixelValueInSeries',
  'LargestPixelValueInSeries',
  'RequestAttributesSequence',
  'PerformedProcedureStepID',
  'PerformedProcedureStepStartDate',
  'PerformedProcedureStepStartTime',
  'PerformedProcedureStepEndDate',
  'PerformedProcedureStepEndTime',
  'PerformedProcedureStepDescription',
  'PerformedProtocolCodeSequence',
  'CommentsOnThePerformedProcedureStep',
  'AnatomicalOrientationType',
  'TreatmentSessionUID',
  // Clinical Trial Series module
  'ClinicalTrialCoordinatingCenterName',
  'ClinicalTrialSeriesID',
  'ClinicalTrialSeriesDescription',
];

const SERIES_OR_INSTANCE_KEYWORDS = [
  // Frame of Reference module
  'FrameOfReferenceUID',
  'PositionReferenceIndicator',
  // General Equipment module
  'Manufacturer',
  'InstitutionName',
  'InstitutionAddress',
  'StationName',
  'InstitutionalDepartmentName',
  'InstitutionalDepartmentTypeCodeSequence',
  'ManufacturerModelName',
  'DeviceSerialNumber',
  'SoftwareVersions',
  'GantryID',
  'UDISequence',
  'DeviceUID',
  'SpatialResolution',
  'DateOfLastCalibration',
  'TimeOfLastCalibration',
  'DateOfManufacture',
  'DateOfInstallation',
];

const LEVELS_BY_KEYWORD: ReadonlyMap<string, readonly MetadataLevel[]> = new Map<string, readonly MetadataLevel[]>([
  ...PATIENT_KEYWORDS.map((k) => [k, ['PATIENT']] as const),
  ...STUDY_KEYWORDS.map((k) => [k, ['STUDY']] as const),
  ...SERIES_KEYWORDS.map((k) => [k, ['SERIES']] as const),
  ...SERIES_OR_INSTANCE_KEYWORDS.map((k) => [k, ['SERIES', 'INSTANCE']] as const),
]);

const INSTANCE_ONLY: readonly MetadataLevel[] = ['INSTANCE'];
const HEX_TAG = /^[0-9A-Fa-f]{8}$/;

/** The registry entry for a standard keyword (case-sensitive), or undefined. */
export function elementByKeyword(keyword: string): DicomElement | undefined {
  if (!Object.prototype.hasOwnProperty.call(nameMap, keyword)) return undefined;
  const entry = nameMap[keyword];
  if (!entry || entry.name !== keyword) return undefined;
  return { keyword: entry.name, tag: entry.tag, vr: entry.vr, vm: entry.vm };
}

/**
 * The registry keywords closest to an unknown key (graphql-js's own "did you mean" ranking), so an
 * error can help with a typo without repeating what the client sent.
 */
export function keywordSuggestions(key: string, max = 3): string[] {
  if (key.length > 80) return [];
  return suggestionList(key, Object.keys(nameMap)).slice(0, max);
}

/** True for the 8-hex-digit keys metadata documents use for private and unknown elements. */
export function isHexTag(key: string): boolean {
  return HEX_TAG.test(key);
}

/** Private elements live in odd groups (PS3.5 section 7.8). */
export function isPrivateTag(key: string): boolean {
  return isHexTag(key) && parseInt(key.slice(0, 4), 16) % 2 === 1;
}

/** The standard element a hex tag denotes, when it is one (such elements must go by keyword). */
export function elementByHexTag(key: string): DicomElement | undefined {
  if (!isHexTag(key) || isPrivateTag(key)) return undefined;
  const entry = dictionary[`(${key.slice(0, 4).toUpperCase()},${key.slice(4).toUpperCase()})`];
  if (!entry || !entry.name) return undefined;
  return { keyword: entry.name, tag: entry.tag, vr: entry.vr, vm: entry.vm };
}

/** The levels a standard keyword may be given at. */
export function levelsOfKeyword(keyword: string): readonly MetadataLevel[] {
  return LEVELS_BY_KEYWORD.get(keyword) ?? INSTANCE_ONLY;
}

/** Every keyword the tables place above instance level (for tests against the registry). */
export function levelTable(): ReadonlyMap<string, readonly MetadataLevel[]> {
  return LEVELS_BY_KEYWORD;
}
