import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { ImageSetState, toImageSetState } from '../types/image-set-state.enum';
import type { ImageSetVersionFacts } from '../types/image-set-version.type';
import { ImageSetWorkflowStatus, toImageSetWorkflowStatus } from '../types/image-set-workflow-status.enum';
import { knownOrLoad, mapMaybe, type KnownFacts } from '../types/known-facts';
import { DateTimeScalar } from '../types/scalars';

/** A root that carries what is already known about one version (`ImageSet`: its latest). */
export interface VersionFactsRoot {
  readonly known: KnownFacts<ImageSetVersionFacts>;
}

/** Each type words its own descriptions: an image set speaks of its latest version, a version of itself. */
export type VersionFactDescriptions = Record<keyof ImageSetVersionFacts, string>;

type Maybe<T> = T | Promise<T>;
type ClassTypeOf<R> = abstract new (...args: never[]) => R;

/**
 * The fields `ImageSet` and `ImageSetVersion` both expose, declared once (type-graphql resolver
 * inheritance: each type's resolver extends the class this returns). A fact already known is
 * answered synchronously; an unknown one comes from `loadFacts`, the subclass's per-request loader
 * read, so every field of one root shares one upstream call.
 */
export function VersionFactsResolver<R extends VersionFactsRoot>(
  // The root classes keep their constructors private (built only by their factories), so the type
  // is named by its prototype rather than as a constructor.
  of: { prototype: R },
  descriptions: VersionFactDescriptions,
) {
  @Resolver(() => of as object as ClassTypeOf<R>)
  abstract class VersionFacts {
    /** The root's version facts from upstream (through a per-request loader). */
    protected abstract loadFacts(root: R, context: GatewayContext): Promise<ImageSetVersionFacts>;

    protected fact<K extends keyof ImageSetVersionFacts>(
      root: R,
      key: K,
      context: GatewayContext,
    ): Maybe<ImageSetVersionFacts[K] | undefined> {
      return knownOrLoad(root.known, key, () => this.loadFacts(root, context));
    }

    @FieldResolver(() => ImageSetState, { nullable: true, description: descriptions.state })
    state(@Root() root: R, @Ctx() context: GatewayContext): Maybe<ImageSetState> {
      return mapMaybe(this.fact(root, 'state', context), toImageSetState);
    }

    @FieldResolver(() => ImageSetWorkflowStatus, { nullable: true, description: descriptions.workflowStatus })
    workflowStatus(@Root() root: R, @Ctx() context: GatewayContext): Maybe<ImageSetWorkflowStatus | null> {
      return mapMaybe(this.fact(root, 'workflowStatus', context), toImageSetWorkflowStatus);
    }

    @FieldResolver(() => Boolean, { nullable: true, description: descriptions.isPrimary })
    isPrimary(@Root() root: R, @Ctx() context: GatewayContext): Maybe<boolean | null> {
      return mapMaybe(this.fact(root, 'isPrimary', context), orNull);
    }

    @FieldResolver(() => DateTimeScalar, { nullable: true, description: descriptions.createdAt })
    createdAt(@Root() root: R, @Ctx() context: GatewayContext): Maybe<Date | null> {
      return mapMaybe(this.fact(root, 'createdAt', context), orNull);
    }

    @FieldResolver(() => DateTimeScalar, { nullable: true, description: descriptions.updatedAt })
    updatedAt(@Root() root: R, @Ctx() context: GatewayContext): Maybe<Date | null> {
      return mapMaybe(this.fact(root, 'updatedAt', context), orNull);
    }

    @FieldResolver(() => DateTimeScalar, { nullable: true, description: descriptions.deletedAt })
    deletedAt(@Root() root: R, @Ctx() context: GatewayContext): Maybe<Date | null> {
      return mapMaybe(this.fact(root, 'deletedAt', context), orNull);
    }

    @FieldResolver(() => String, { nullable: true, description: descriptions.message })
    message(@Root() root: R, @Ctx() context: GatewayContext): Maybe<string | null> {
      return mapMaybe(this.fact(root, 'message', context), orNull);
    }

    @FieldResolver(() => Boolean, { nullable: true, description: descriptions.forced })
    forced(@Root() root: R, @Ctx() context: GatewayContext): Maybe<boolean> {
      return mapMaybe(this.fact(root, 'forced', context), (forced) => forced ?? false);
    }
  }
  return VersionFacts;
}

function orNull<T>(value: T | undefined): T | null {
  return value ?? null;
}
