/**
 * Which level of the metadata document an element belongs to
 * (docs/healthimaging-behaviour.md#metadata-document).
 *
 * The split follows the DICOM information model: an element defined by a Patient-IE module goes
 * to `Patient`, by a Study-IE module to `Study`, by a Series-, Frame-of-Reference- or
 * Equipment-IE module to `Series` (PS3.3 section A.1.2 and the composite IOD module tables). The
 * tables below list those modules' elements by keyword:
 *   Patient: Patient (C.7.1.1), Clinical Trial Subject (C.7.1.3), Patient Identification and
 *            Demographic attributes of the Patient IE (PS3.4 C.6.1.1.2);
 *   Study:   General Study (C.7.2.1), Patient Study (C.7.2.2), Clinical Trial Study (C.7.2.3);
 *   Series:  General Series (C.7.3.1), Clinical Trial Series (C.7.3.2), Frame of Reference
 *            (C.7.4.1), General Equipment (C.7.5.1).
 * Modality-specific series modules are left out on purpose: their elements (e.g. FilterType)
 * are per-image in other IODs, and a keyword must have one level whatever the modality.
 * AWS HealthImaging publishes the same grouping ("Metadata normalization" in its developer
 * guide), and a document returned by the real service shows, e.g., FrameOfReferenceUID and
 * Manufacturer at series level and the file meta group at instance level.
 * Everything else, private elements included, is instance level.
 */
export type DocumentLevel = 'Patient' | 'Study' | 'Series' | 'Instance';

const PATIENT = [
  // Patient module and Issuer of Patient ID macro
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
  // Patient demographics of the Patient IE
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

const STUDY = [
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

const SERIES = [
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

const LEVEL_BY_KEYWORD: ReadonlyMap<string, DocumentLevel> = new Map<string, DocumentLevel>([
  ...PATIENT.map((k) => [k, 'Patient'] as const),
  ...STUDY.map((k) => [k, 'Study'] as const),
  ...SERIES.map((k) => [k, 'Series'] as const),
]);

/** The document level of a top-level element, given its keyword (or hex tag for unknown ones). */
export function levelOf(key: string): DocumentLevel {
  return LEVEL_BY_KEYWORD.get(key) ?? 'Instance';
}

/** Every keyword the tables place above instance level (for tests that check them against PS3.6). */
export function levelTableKeywords(): ReadonlyMap<string, DocumentLevel> {
  return LEVEL_BY_KEYWORD;
}
