import { createConnectionType } from './connection';
import { ImageSetVersion } from './image-set-version.type';

export const { Connection: ImageSetVersionConnection, Edge: ImageSetVersionEdge } = createConnectionType(
  () => ImageSetVersion,
  'ImageSetVersion',
  { singular: 'image set version', plural: 'image set versions, newest first' },
);
