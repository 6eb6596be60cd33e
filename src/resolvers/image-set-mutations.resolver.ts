import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Scope } from '../auth/principal';
import type { GatewayContext } from '../context';
import { CopyImageSetPayload } from '../types/copy-image-set-payload.type';
import { CopyImageSetInput } from '../types/copy-image-set.input';
import { DeleteImageSetPayload } from '../types/delete-image-set-payload.type';
import { DeleteImageSetInput } from '../types/delete-image-set.input';
import { RevertImageSetPayload } from '../types/revert-image-set-payload.type';
import { RevertImageSetInput } from '../types/revert-image-set.input';
import { UpdateImageSetMetadataPayload } from '../types/update-image-set-metadata-payload.type';
import { UpdateImageSetMetadataInput } from '../types/update-image-set-metadata.input';
import { phiAccessOr } from '../phi/phi-access';
import { checkRevertChanges, checkUpdateAttributes } from '../phi/phi-writes';
import { diffMetadata } from '../imaging/metadata-changes';
import { sendWrite } from './request/image-set-write';
import { requestScope } from './request/request-scope';
import { toCopyRequest, toRevertRequest, toUpdateRequest } from './mappers/write-inputs.mapper';
import { copyPayload, deletePayload, updatedVersion } from './mappers/write-payloads.mapper';

/**
 * Image set writes. Each starts an asynchronous upstream job and answers with the state
 * HealthImaging reported (LOCKED, …ING); clients poll `imageSet { state workflowStatus }`.
 * A stale version id fails with VERSION_CONFLICT carrying the current latest version.
 */
@Resolver()
export class ImageSetMutationsResolver {
  @Authorized<Scope>('imagesets:write')
  @Mutation(() => CopyImageSetPayload, {
    nullable: true,
    description: 'Copy an image set (whole or a subset of series/instances) into a new or an existing image set.',
  })
  async copyImageSet(
    @Arg('input', () => CopyImageSetInput, { description: 'What to copy, and where to.' }) input: CopyImageSetInput,
    @Ctx() context: GatewayContext,
  ): Promise<CopyImageSetPayload> {
    const scope = requestScope(context);
    const { datastoreId, sourceImageSetId, sourceLatestVersionId } = input;
    const request = await toCopyRequest(input, () =>
      scope.loaders.metadata.load({ datastoreId, imageSetId: sourceImageSetId, versionId: sourceLatestVersionId }),
    );
    return copyPayload(await sendWrite(scope, (imaging) => imaging.copyImageSet(request)));
  }

  @Authorized<Scope>('imagesets:write')
  @Mutation(() => UpdateImageSetMetadataPayload, {
    nullable: true,
    description: 'Insert, replace and/or remove DICOM attributes, series or instances; appends a new version.',
  })
  async updateImageSetMetadata(
    @Arg('input', () => UpdateImageSetMetadataInput, {
      description: 'The image set, its expected latest version and the changes.',
    })
    input: UpdateImageSetMetadataInput,
    @Ctx() context: GatewayContext,
  ): Promise<UpdateImageSetMetadataPayload> {
    const scope = requestScope(context);
    checkUpdateAttributes(phiAccessOr(context.phi), input);
    const request = toUpdateRequest(input);
    const result = await sendWrite(scope, (imaging) => imaging.updateImageSetMetadata(request));
    const { imageSet, version } = updatedVersion(result);
    return new UpdateImageSetMetadataPayload(imageSet, version);
  }

  @Authorized<Scope>('imagesets:write')
  @Mutation(() => RevertImageSetPayload, {
    nullable: true,
    description:
      'Append a new version with the content of an earlier version (the version counter never rewinds). Without `phi:read`, FORBIDDEN when the restored version differs from the latest in a patient-identifying attribute.',
  })
  async revertImageSet(
    @Arg('input', () => RevertImageSetInput, {
      description: 'The image set, its expected latest version and the version to restore.',
    })
    input: RevertImageSetInput,
    @Ctx() context: GatewayContext,
  ): Promise<RevertImageSetPayload> {
    const scope = requestScope(context);
    const { loaders } = scope;
    const request = toRevertRequest(input);
    const phi = phiAccessOr(context.phi);
    if (!phi.granted) {
      // Only callers without phi:read pay for the two documents this check reads.
      const { datastoreId, imageSetId } = request;
      const [latest, restored] = await Promise.all([
        loaders.metadata.load({ datastoreId, imageSetId, versionId: request.latestVersionId }),
        loaders.metadata.load({ datastoreId, imageSetId, versionId: request.revertToVersionId! }),
      ]);
      checkRevertChanges(phi, diffMetadata(latest, restored));
    }
    const result = await sendWrite(scope, (imaging) => imaging.updateImageSetMetadata(request));
    const { imageSet, version } = updatedVersion(result);
    return new RevertImageSetPayload(imageSet, version);
  }

  @Authorized<Scope>('imagesets:delete')
  @Mutation(() => DeleteImageSetPayload, { nullable: true, description: 'Delete an image set. Idempotent.' })
  async deleteImageSet(
    @Arg('input', () => DeleteImageSetInput, { description: 'The image set to delete.' }) input: DeleteImageSetInput,
    @Ctx() context: GatewayContext,
  ): Promise<DeleteImageSetPayload> {
    const { datastoreId, imageSetId } = input;
    return deletePayload(
      await sendWrite(requestScope(context), (imaging) => imaging.deleteImageSet(datastoreId, imageSetId)),
    );
  }
}
