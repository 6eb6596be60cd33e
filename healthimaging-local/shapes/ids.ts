import { randomBytes } from 'node:crypto';

/**
 * A fresh HealthImaging resource id (datastore, image set, image frame, job): 32 lowercase hex
 * characters, the shape the real service hands out and the model pattern `[0-9a-z]{32}` accepts.
 */
export function newResourceId(): string {
  return randomBytes(16).toString('hex');
}

export const RESOURCE_ID_PATTERN = /^[0-9a-z]{32}$/;
