/**
 * Which normalized level (Patient / Study / Series) a standard keyword belongs to.
 *
 * Source: the HealthImaging developer guide, "DICOM support > Metadata normalization", which
 * builds the Patient, Study and Series levels from these DICOM PS3.3 (2022b) modules:
 *   Patient level: Patient Module (C.7.1.1), Clinical Trial Subject Module (C.7.1.3);
 *   Study level:   General Study Module (C.7.2.1), Patient Study Module (C.7.2.2),
 *                  Clinical Trial Study Module (C.7.2.3);
 *   Series level:  General Series Module (C.7.3.1), Clinical Trial Series Module (C.7.3.2).
 * The tables hold the attributes of those modules (not the macros nested in their sequences).
 * Every keyword here is checked against the dcmjs registry by a unit test, so a typo fails the build.
 * Anything not listed is instance-level, unless a stored document already holds it elsewhere
 * (the rules accept what import put at a level, so these tables never contradict stored data).
 */
export type NormalizedLevel = 'Patient' | 'Study' | 'Series';

export const PATIENT_LEVEL_KEYWORDS: ReadonlySet<string> = new Set([
  'PatientName', 'PatientID', 'IssuerOfPatientID', 'IssuerOfPatientIDQualifiersSequence',
  'TypeOfPatientID', 'PatientBirthDate', 'PatientBirthTime', 'PatientBirthDateInAlternativeCalendar',
  'PatientDeathDateInAlternativeCalendar', 'PatientAlternativeCalendar', 'PatientSex',
  'ReferencedPatientPhotoSequence', 'QualityControlSubject', 'ReferencedPatientSequence',
  'OtherPatientIDsSequence', 'OtherPatientNames', 'EthnicGroup', 'PatientComments',
  'PatientSpeciesDescription', 'PatientSpeciesCodeSequence', 'PatientBreedDescription',
  'PatientBreedCodeSequence', 'BreedRegistrationSequence', 'StrainDescription', 'StrainNomenclature',
  'StrainCodeSequence', 'StrainAdditionalInformation', 'StrainStockSequence',
  'GeneticModificationsSequence', 'ResponsiblePerson', 'ResponsiblePersonRole',
  'ResponsibleOrganization', 'PatientIdentityRemoved', 'DeidentificationMethod',
  'DeidentificationMethodCodeSequence', 'SourcePatientGroupIdentificationSequence',
  'GroupOfPatientsIdentificationSequence',
  'ClinicalTrialSponsorName', 'ClinicalTrialProtocolID', 'ClinicalTrialProtocolName',
  'ClinicalTrialSiteID', 'ClinicalTrialSiteName', 'ClinicalTrialSubjectID',
  'ClinicalTrialSubjectReadingID',
]);

export const STUDY_LEVEL_KEYWORDS: ReadonlySet<string> = new Set([
  'StudyInstanceUID', 'StudyDate', 'StudyTime', 'ReferringPhysicianName',
  'ReferringPhysicianIdentificationSequence', 'ConsultingPhysicianName',
  'ConsultingPhysicianIdentificationSequence', 'StudyID', 'AccessionNumber',
  'IssuerOfAccessionNumberSequence', 'StudyDescription', 'PhysiciansOfRecord',
  'PhysiciansOfRecordIdentificationSequence', 'NameOfPhysiciansReadingStudy',
  'PhysiciansReadingStudyIdentificationSequence', 'RequestingServiceCodeSequence',
  'ReferencedStudySequence', 'ProcedureCodeSequence', 'ReasonForPerformedProcedureCodeSequence',
  'AdmittingDiagnosesDescription', 'AdmittingDiagnosesCodeSequence', 'PatientAge', 'PatientSize',
  'PatientWeight', 'PatientBodyMassIndex', 'MeasuredAPDimension', 'MeasuredLateralDimension',
  'PatientSizeCodeSequence', 'MedicalAlerts', 'Allergies', 'SmokingStatus', 'PregnancyStatus',
  'LastMenstrualDate', 'PatientState', 'Occupation', 'AdditionalPatientHistory', 'AdmissionID',
  'IssuerOfAdmissionIDSequence', 'ServiceEpisodeID', 'ServiceEpisodeDescription',
  'IssuerOfServiceEpisodeIDSequence', 'PatientSexNeutered',
  'ClinicalTrialTimePointID', 'ClinicalTrialTimePointDescription',
  'ConsentForClinicalTrialUseSequence',
]);

export const SERIES_LEVEL_KEYWORDS: ReadonlySet<string> = new Set([
  'Modality', 'SeriesInstanceUID', 'SeriesNumber', 'Laterality', 'SeriesDate', 'SeriesTime',
  'PerformingPhysicianName', 'PerformingPhysicianIdentificationSequence', 'ProtocolName',
  'SeriesDescription', 'SeriesDescriptionCodeSequence', 'OperatorsName',
  'OperatorIdentificationSequence', 'ReferencedPerformedProcedureStepSequence',
  'RelatedSeriesSequence', 'BodyPartExamined', 'PatientPosition', 'SmallestPixelValueInSeries',
  'LargestPixelValueInSeries', 'RequestAttributesSequence', 'PerformedProcedureStepID',
  'PerformedProcedureStepStartDate', 'PerformedProcedureStepStartTime',
  'PerformedProcedureStepEndDate', 'PerformedProcedureStepEndTime',
  'PerformedProcedureStepDescription', 'PerformedProtocolCodeSequence',
  'CommentsOnThePerformedProcedureStep', 'AnatomicalOrientationType',
  'ClinicalTrialCoordinatingCenterName', 'ClinicalTrialSeriesID', 'ClinicalTrialSeriesDescription',
]);

/** The level a keyword is normalized to, or undefined for instance-level (and unknown) keywords. */
export function levelOfKeyword(keyword: string): NormalizedLevel | undefined {
  if (PATIENT_LEVEL_KEYWORDS.has(keyword)) return 'Patient';
  if (STUDY_LEVEL_KEYWORDS.has(keyword)) return 'Study';
  if (SERIES_LEVEL_KEYWORDS.has(keyword)) return 'Series';
  return undefined;
}
