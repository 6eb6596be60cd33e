import type { IncomingMessage, ServerResponse } from 'node:http';
import Negotiator from 'negotiator';
import type { Logger } from '../../logging/logger';
import type { Route } from '../router';
import { defaultExplorerBundleDir, loadExplorerBundle, type ExplorerBundle } from './explorer-bundle';
import {
  EXPLORER_ASSETS_PATH,
  EXPLORER_CONTENT_SECURITY_POLICY,
  EXPLORER_PATH,
  renderExplorerPage,
} from './explorer-page';
import type { ExplorerSettings } from './explorer-settings';

/** Hashed file names never change content, so browsers may keep them for a year without asking. */
const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export interface ExplorerRouteOptions {
  settings: ExplorerSettings;
  logger: Logger;
  /** Defaults to dist/explorer/ in the repository. */
  bundleDir?: string;
}

/**
 * GET /explorer (the GraphiQL page) and GET /explorer/assets/<hashed file> (its script and
 * stylesheet). The page itself holds no data and needs no credential; the operations it sends
 * to /graphql carry the headers the user typed, and are authenticated there like any other.
 */
export function explorerRoutes(options: ExplorerRouteOptions): Route[] {
  const explorer = new Explorer(options);
  const handle: Route['handle'] = (request, response, { url, method }) =>
    explorer.serve(request, response, url.pathname, method);
  return [
    { path: EXPLORER_PATH, handle },
    { path: `${EXPLORER_PATH}/*`, handle },
  ];
}

class Explorer {
  private bundle: Promise<ExplorerBundle | undefined> | undefined;
  private warnedMissing = false;

  constructor(private readonly options: ExplorerRouteOptions) {}

  /** Answers the request and returns its status. */
  async serve(request: IncomingMessage, response: ServerResponse, pathname: string, method: string): Promise<number> {
    response.setHeader('x-content-type-options', 'nosniff');
    if (method !== 'GET' && method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return sendText(response, 405, method, 'The explorer answers GET only.');
    }
    if (pathname === `${EXPLORER_PATH}/`) {
      response.setHeader('location', EXPLORER_PATH);
      return sendText(response, 308, method, `The explorer is at ${EXPLORER_PATH}.`);
    }
    const bundle = await this.loadBundle();
    if (!bundle) {
      response.setHeader('retry-after', '5');
      return sendText(response, 503, method, 'The explorer is not built yet: run `npm run build`.');
    }
    if (pathname === EXPLORER_PATH) {
      const page = Buffer.from(renderExplorerPage(this.options.settings, bundle.manifest), 'utf8');
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': page.length,
        'content-security-policy': EXPLORER_CONTENT_SECURITY_POLICY,
        // The page may hold a development credential and names the current bundle: never reused.
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      });
      response.end(method === 'HEAD' ? undefined : page);
      return 200;
    }
    const asset = pathname.startsWith(EXPLORER_ASSETS_PATH)
      ? bundle.assets.get(pathname.slice(EXPLORER_ASSETS_PATH.length))
      : undefined;
    if (!asset) return sendText(response, 404, method, 'No such explorer file.');
    const gzip = new Negotiator(request).encoding(['gzip', 'identity']) === 'gzip';
    const body = gzip ? asset.gzipped : asset.body;
    response.writeHead(200, {
      'content-type': asset.contentType,
      'content-length': body.length,
      'cache-control': ASSET_CACHE_CONTROL,
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    response.end(method === 'HEAD' ? undefined : body);
    return 200;
  }

  /** Read once; a missing bundle is looked for again on the next request (a build may be running). */
  private async loadBundle(): Promise<ExplorerBundle | undefined> {
    this.bundle ??= loadExplorerBundle(this.options.bundleDir ?? defaultExplorerBundleDir());
    const bundle = await this.bundle;
    if (!bundle) {
      this.bundle = undefined;
      if (!this.warnedMissing) {
        this.warnedMissing = true;
        this.options.logger.warn('explorer.bundle_missing', { outcome: 'run npm run build' });
      }
    }
    return bundle;
  }
}

function sendText(response: ServerResponse, status: number, method: string, message: string): number {
  const body = Buffer.from(`${message}\n`, 'utf8');
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': body.length,
    'cache-control': 'no-store',
  });
  response.end(method === 'HEAD' ? undefined : body);
  return status;
}
