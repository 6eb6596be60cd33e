import { Field, InputType } from 'type-graphql';
import { ImageSetSortField } from './image-set-sort-field.enum';
import { SortOrder } from './sort-order.enum';

@InputType('ImageSetSort', {
  description: 'Order of search results. Without it, HealthImaging sorts by UPDATED_AT, newest first.',
})
export class ImageSetSort {
  @Field(() => ImageSetSortField, { description: 'What to sort by.' })
  field!: ImageSetSortField;

  @Field(() => SortOrder, { description: 'Sort direction.' })
  order!: SortOrder;
}
