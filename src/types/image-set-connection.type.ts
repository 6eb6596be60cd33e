import { createConnectionType } from './connection';
import { ImageSet } from './image-set.type';

export const { Connection: ImageSetConnection, Edge: ImageSetEdge } = createConnectionType(() => ImageSet, 'ImageSet', {
  singular: 'image set',
  plural: 'image sets',
});
