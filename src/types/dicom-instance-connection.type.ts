import { createConnectionType } from './connection';
import { DicomInstance } from './dicom-instance.type';

export const { Connection: DicomInstanceConnection, Edge: DicomInstanceEdge } = createConnectionType(
  () => DicomInstance,
  'DicomInstance',
  { singular: 'DICOM instance', plural: 'DICOM instances, by Instance Number' },
);
