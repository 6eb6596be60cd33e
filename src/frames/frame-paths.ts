/** Frame URLs are `/frames/<token>`; the token is the whole credential. */
export const FRAMES_PATH_PREFIX = '/frames/';
/** How a frame path appears in logs: the token is a credential and is never written anywhere. */
export const FRAMES_LOGGED_PATH = '/frames/{token}';

export function framePath(token: string): string {
  return `${FRAMES_PATH_PREFIX}${token}`;
}
