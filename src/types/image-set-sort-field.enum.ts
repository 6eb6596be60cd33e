import { registerEnumType } from 'type-graphql';

export enum ImageSetSortField {
  UPDATED_AT = 'UPDATED_AT',
  CREATED_AT = 'CREATED_AT',
  STUDY_DATE_AND_TIME = 'STUDY_DATE_AND_TIME',
}

registerEnumType(ImageSetSortField, {
  name: 'ImageSetSortField',
  description: 'What an image set search sorts by.',
  valuesConfig: {
    UPDATED_AT: { description: 'When the image set last changed (the default, newest first).' },
    CREATED_AT: { description: 'When the image set was created.' },
    STUDY_DATE_AND_TIME: { description: 'The DICOM study date and time.' },
  },
});
