/**
 * What kind of patient-identifying data an attribute holds. Every attribute of the confidentiality
 * profile falls in exactly one; responses (`extensions.phi.categories`) and the audit trail
 * ("what category of data was read") speak in these, never in attribute values.
 */
export const PHI_CATEGORIES = [
  'patient-name',
  'patient-id',
  'birth-date',
  'sex',
  'age',
  'address',
  'patient-characteristics',
  'encounter-id',
  'institution',
  'personnel',
  'dates-times',
  'device',
  'clinical-trial',
  'free-text',
  'structured-content',
  'uid',
  'private',
] as const;

export type PhiCategory = (typeof PHI_CATEGORIES)[number];

/** One line each, for the README and the schema's descriptions. */
export const PHI_CATEGORY_DESCRIPTIONS: Readonly<Record<PhiCategory, string>> = {
  'patient-name': "the patient's names (also birth, other and mother's birth names, the responsible person)",
  'patient-id': 'patient ids, their issuers, other ids, medical record locator, insurance plan, patient references',
  'birth-date': 'birth date and time',
  sex: 'sex and sex neutered',
  age: 'age',
  address: 'addresses, telephone numbers and telecom, residence, locations, GPS coordinates',
  'patient-characteristics':
    'size, weight, ethnic group, occupation, medical alerts, allergies, history, pregnancy, religion, ...',
  'encounter-id': 'accession number, study id, admission and service episode ids, orders, procedure steps, specimens',
  institution: 'institution name, address and department, requesting service, organisations',
  personnel: 'referring, performing and reading physicians, operators, observers and other persons',
  'dates-times': 'dates and times of the study, series, acquisition, content, procedures and treatments',
  device: 'device serial numbers, station names, detector, plate and other equipment ids',
  'clinical-trial': 'clinical trial sponsor, protocol, site, subject and time point',
  'free-text': 'descriptions, comments, labels and protocol names that may carry identifying text',
  'structured-content':
    'sequences and binary data that may embed any of the above (content, overlays, icons, signatures)',
  uid: 'DICOM UIDs (retained by this gateway; see the profile module)',
  private: 'private (odd-group) attributes, whose content is unknown',
};
