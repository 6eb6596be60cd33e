import { registerEnumType } from 'type-graphql';

export enum MetadataLevel {
  PATIENT = 'PATIENT',
  STUDY = 'STUDY',
  SERIES = 'SERIES',
  INSTANCE = 'INSTANCE',
}

registerEnumType(MetadataLevel, {
  name: 'MetadataLevel',
  description: 'A level of the DICOM information model as HealthImaging stores metadata.',
  valuesConfig: {
    PATIENT: { description: 'Patient level.' },
    STUDY: { description: 'Study level.' },
    SERIES: { description: 'Series level (one series, named by `seriesInstanceUid`).' },
    INSTANCE: { description: 'Instance level (one SOP instance, named by `sopInstanceUid`).' },
  },
});
