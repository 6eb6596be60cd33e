import { Field, ObjectType } from 'type-graphql';

@ObjectType('PageInfo', {
  description:
    'Where a page of a connection ends. Paging is forward only (HealthImaging pages with forward tokens), so there is no `hasPreviousPage`/`startCursor`.',
})
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether another page may follow; ask for it with `after: endCursor`.' })
  hasNextPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last edge of this page (null when the page is empty and nothing follows).',
  })
  endCursor!: string | null;
}
