import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import type { MetadataDocument } from '../imaging/records';
import { phiAccessOr } from '../phi/phi-access';
import { DicomPatient } from '../types/dicom-patient.type';
import { DicomStudy } from '../types/dicom-study.type';
import { ImageSetMetadata } from '../types/image-set-metadata.type';
import { requestScope } from './request/request-scope';

function loadDocument(root: ImageSetMetadata, context: GatewayContext): Promise<MetadataDocument> {
  return requestScope(context).loaders.metadata.load(root.key);
}

@Resolver(() => ImageSetMetadata)
export class ImageSetMetadataResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: 'The metadata schema version HealthImaging reports (e.g. "1.1").',
  })
  async schemaVersion(@Root() root: ImageSetMetadata, @Ctx() context: GatewayContext): Promise<string | null> {
    const version: unknown = (await loadDocument(root, context)).SchemaVersion;
    return version === undefined || version === null ? null : String(version);
  }

  @FieldResolver(() => DicomPatient, { nullable: true, description: 'The Patient level.' })
  async patient(@Root() root: ImageSetMetadata, @Ctx() context: GatewayContext): Promise<DicomPatient> {
    const document = await loadDocument(root, context);
    return new DicomPatient(root.key, document.Patient?.DICOM ?? {}, phiAccessOr(context.phi));
  }

  @FieldResolver(() => DicomStudy, { nullable: true, description: 'The Study level, with its series.' })
  async study(@Root() root: ImageSetMetadata, @Ctx() context: GatewayContext): Promise<DicomStudy> {
    return new DicomStudy(root.key, await loadDocument(root, context), phiAccessOr(context.phi));
  }
}
