import { ArgsType, Field } from 'type-graphql';
import { ImageSetSearchFilter } from './image-set-search-filter.input';
import { ImageSetSort } from './image-set-sort.input';
import { ForwardPaginationArgs } from './pagination.args';

@ArgsType()
export class ImageSetSearchArgs extends ForwardPaginationArgs {
  @Field(() => ImageSetSearchFilter, {
    nullable: true,
    description: 'Criteria (at most two); omitted: every image set of the data store.',
  })
  filter?: ImageSetSearchFilter | null;

  @Field(() => ImageSetSort, { nullable: true, description: 'Result order; omitted: UPDATED_AT, newest first.' })
  sort?: ImageSetSort | null;
}
