import { Field, ObjectType } from 'type-graphql';
import type { ClassType } from 'type-graphql';
import { PageInfo } from './page-info.type';

export interface Edge<TNode> {
  cursor: string;
  node: TNode;
}

export interface Connection<TNode> {
  edges: Array<Edge<TNode>>;
  pageInfo: PageInfo;
}

export interface ConnectionTypes<TNode> {
  Connection: ClassType<Connection<TNode>>;
  Edge: ClassType<Edge<TNode>>;
}

/**
 * Builds the Relay `<Name>Connection` and `<Name>Edge` object types for one node type. Each call
 * registers two new GraphQL types, so call it once per node type, at module load.
 */
export function createConnectionType<TNode extends object>(
  // `prototype` rather than a constructor type: node classes may keep their constructors private.
  nodeType: () => { prototype: TNode },
  name: string,
  describe: { singular: string; plural: string },
): ConnectionTypes<TNode> {
  @ObjectType(`${name}Edge`, { description: `One of the ${describe.plural} in a page, with its cursor.` })
  class EdgeType implements Edge<TNode> {
    @Field(() => String, {
      description: 'Opaque, signed cursor of this edge; pass it as `after` to continue after it.',
    })
    cursor!: string;

    @Field(nodeType, { description: `The ${describe.singular}.` })
    node!: TNode;
  }

  @ObjectType(`${name}Connection`, {
    description: `A page of ${describe.plural} (Relay connection, forward only).`,
  })
  class ConnectionType implements Connection<TNode> {
    @Field(() => [EdgeType], { description: 'The edges of this page, in result order.' })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: 'Whether and from where to continue.' })
    pageInfo!: PageInfo;
  }

  return { Connection: ConnectionType, Edge: EdgeType };
}
