import { registerEnumType } from 'type-graphql';

export enum SortOrder {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(SortOrder, {
  name: 'SortOrder',
  description: 'Direction of a sort.',
  valuesConfig: {
    ASC: { description: 'Oldest or smallest first.' },
    DESC: { description: 'Newest or largest first.' },
  },
});
