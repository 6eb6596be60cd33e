import { registerEnumType } from 'type-graphql';

export enum MetadataChangeKind {
  ADDED = 'ADDED',
  REMOVED = 'REMOVED',
  CHANGED = 'CHANGED',
  SERIES_ADDED = 'SERIES_ADDED',
  SERIES_REMOVED = 'SERIES_REMOVED',
  INSTANCE_ADDED = 'INSTANCE_ADDED',
  INSTANCE_REMOVED = 'INSTANCE_REMOVED',
}

registerEnumType(MetadataChangeKind, {
  name: 'MetadataChangeKind',
  description: 'What kind of difference a `MetadataChange` describes.',
  valuesConfig: {
    ADDED: { description: 'The attribute exists only in the newer version.' },
    REMOVED: { description: 'The attribute exists only in the older version.' },
    CHANGED: { description: 'The attribute has a different value.' },
    SERIES_ADDED: { description: 'The series exists only in the newer version (its attributes are not listed).' },
    SERIES_REMOVED: { description: 'The series exists only in the older version.' },
    INSTANCE_ADDED: { description: 'The instance exists only in the newer version (its attributes are not listed).' },
    INSTANCE_REMOVED: { description: 'The instance exists only in the older version.' },
  },
});
