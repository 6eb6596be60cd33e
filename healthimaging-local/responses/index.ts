import type { OperationName } from '../shapes/operation-names';
import { createDatastore, deleteDatastore, getDatastore, listDatastores } from './datastores';
import type { Handler } from './handler';
import { getImageFrame, getImageSet, getImageSetMetadata, listImageSetVersions } from './image-set-reads';
import { copyImageSet, deleteImageSet, updateImageSetMetadata } from './image-set-writes';
import { getDicomImportJob, listDicomImportJobs, startDicomImportJob } from './import-jobs';
import { searchImageSets } from './search-image-sets';
import { listTagsForResource, tagResource, untagResource } from './tags';

export const HANDLERS: Record<OperationName, Handler> = {
  CreateDatastore: createDatastore,
  GetDatastore: getDatastore,
  ListDatastores: listDatastores,
  DeleteDatastore: deleteDatastore,
  StartDICOMImportJob: startDicomImportJob,
  GetDICOMImportJob: getDicomImportJob,
  ListDICOMImportJobs: listDicomImportJobs,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
  SearchImageSets: searchImageSets,
  GetImageSet: getImageSet,
  GetImageSetMetadata: getImageSetMetadata,
  GetImageFrame: getImageFrame,
  ListImageSetVersions: listImageSetVersions,
  UpdateImageSetMetadata: updateImageSetMetadata,
  CopyImageSet: copyImageSet,
  DeleteImageSet: deleteImageSet,
};
