import { STATUS_CODES, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { ADMIN_PREFIX, handleAdmin, isLoopback } from './admin-routes';
import type { CallStats } from './call-stats';
import { ServiceError, validation } from '../shapes/errors';
import type { FaultController } from './faults';
import type { RateLimiter } from './rate-limits';
import type { HilServices, RequestContext } from '../responses/handler';
import { HANDLERS } from '../responses';
import { matchRoute, REPEATABLE_QUERY_PARAMETERS } from './routes';
import { accessKeyOf, type SigV4Verifier } from './sigv4-verifier';
import { errorResponse, newRequestId, writeResponse, type WireResponse } from '../responses/wire';

export interface ServerDeps {
  services: HilServices;
  verifier: SigV4Verifier;
  faults: FaultController;
  rateLimiter: RateLimiter;
  stats: CallStats;
  maxBodyBytes: number;
  log: (line: string) => void;
}

class BodyTooLarge extends Error {}
/** The client went away before its request body arrived: nothing to answer, nothing broken. */
class ClientDisconnected extends Error {}

/**
 * The HTTP front: keep-alive node:http, one pipeline per request —
 * route → read body (capped) → count → verify SigV4 → rate limit → injected fault → handler —
 * with every failure turned into the restJson1 error format.
 */
export class HilHttpServer {
  private readonly server: Server;
  private readonly hanging = new Set<ServerResponse>();
  private closing = false;

  constructor(private readonly deps: ServerDeps) {
    this.server = createServer({ keepAlive: true }, (req, res) => {
      // handle() answers every failure itself; anything left (a socket gone mid-write) only drops the socket.
      this.handle(req, res).catch(() => res.destroy());
    });
    // Longer than the SDK's idle socket reuse, so a kept-alive socket is not closed under it.
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => answerUnparsable(err, socket));
    // node:http hands CONNECT to this event and, without a listener, drops the socket unanswered.
    this.server.on('connect', (_req: IncomingMessage, socket: Duplex) =>
      answerRaw(socket, new ServiceError('UnknownOperationException', 'No operation matches CONNECT')),
    );
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        // Once listening, an accept failure (e.g. out of file descriptors) must not end the process.
        this.server.on('error', (err: NodeJS.ErrnoException) =>
          this.deps.log(`server error (${err.code ?? err.name})`),
        );
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const query = new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1));
    let response: WireResponse;
    try {
      if (rawPath.startsWith(ADMIN_PREFIX)) {
        refuseRepeatedParameters(query, req, []);
        if (!isLoopback(req))
          throw new ServiceError('AccessDeniedException', 'Admin endpoints answer loopback callers only');
        const body = await readBody(req, this.deps.maxBodyBytes);
        response = handleAdmin(method, rawPath, query, body, this.deps);
      } else {
        response = await this.serveOperation(req, res, method, rawPath, query);
      }
    } catch (err) {
      response = this.toErrorResponse(err, req);
    }
    if (response.status === 0) return; // hung (answered by close()) or the client is gone
    writeResponse(res, response, requestId);
  }

  private async serveOperation(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    rawPath: string,
    query: URLSearchParams,
  ): Promise<WireResponse> {
    const route = matchRoute(method, rawPath);
    if (!route) {
      req.resume();
      throw new ServiceError('UnknownOperationException', `No operation matches ${method} ${rawPath.slice(0, 200)}`);
    }
    refuseRepeatedParameters(query, req, REPEATABLE_QUERY_PARAMETERS[route.operation] ?? []);
    const body = await readBody(req, this.deps.maxBodyBytes);
    this.deps.stats.record(route.operation, accessKeyOf(req.headers));
    const caller = await this.deps.verifier.verify({
      method,
      rawPath,
      query: queryRecord(query),
      headers: req.headers,
      body,
    });
    this.deps.rateLimiter.take(route.operation, caller.grant.accessKeyId);

    const fault = this.deps.faults.take(route.operation);
    if (fault.kind === 'fail') throw fault.error;
    if (fault.kind === 'hang') {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return { status: 0, headers: {}, body: Buffer.alloc(0) };
    }
    if (fault.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    if (this.closing) throw new ServiceError('InternalServerException', 'The server is shutting down');

    const ctx: RequestContext = {
      operation: route.operation,
      params: route.params,
      query,
      body,
      grant: caller.grant,
      region: caller.region,
    };
    return await HANDLERS[route.operation](ctx, this.deps.services);
  }

  private toErrorResponse(err: unknown, req: IncomingMessage): WireResponse {
    if (err instanceof BodyTooLarge) {
      // The rest of the oversized body is not read; the connection cannot be reused.
      req.socket.setTimeout(1000, () => req.socket.destroy());
      const response = errorResponse(validation(`The request body exceeds ${this.deps.maxBodyBytes} bytes`));
      response.headers.Connection = 'close';
      return response;
    }
    if (err instanceof ServiceError) return errorResponse(err);
    if (err instanceof ClientDisconnected) {
      this.deps.log(`client disconnected before its ${req.method} request body was complete`);
      return { status: 0, headers: {}, body: Buffer.alloc(0) };
    }
    // Never the stack or the message: either could carry request content.
    this.deps.log(`internal error (${err instanceof Error ? err.name : typeof err}) while serving ${req.method}`);
    return errorResponse(new ServiceError('InternalServerException', 'An internal error occurred'));
  }
}

/**
 * A request node:http cannot parse (broken request line, oversized headers) never reaches a
 * handler; it still gets the restJson1 error form rather than node's bare default answer.
 */
function answerUnparsable(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const message =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? 'The request line and headers are too large'
      : 'The request is not valid HTTP/1.1';
  answerRaw(socket, validation(message));
}

/** Writes an error answer straight to a socket node:http will not answer through a response. */
function answerRaw(socket: Duplex, error: ServiceError): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const response = errorResponse(error);
  const head = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}`,
    ...Object.entries(response.headers).map(([name, value]) => `${name}: ${value}`),
    `x-amzn-RequestId: ${newRequestId()}`,
    `Content-Length: ${response.body.length}`,
    'Connection: close',
  ];
  socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), response.body]));
}

/**
 * AWS refuses a scalar query parameter given twice rather than picking one; so does this server,
 * before the signature is checked, as the request is malformed either way. List members
 * (`tagKeys`) repeat by design.
 */
function refuseRepeatedParameters(query: URLSearchParams, req: IncomingMessage, repeatable: readonly string[]): void {
  const seen = new Set<string>();
  for (const key of query.keys()) {
    if (seen.has(key) && !repeatable.includes(key)) {
      req.resume();
      throw validation(`The query parameter ${key.slice(0, 64)} is given more than once`);
    }
    seen.add(key);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const [only] = chunks;
      if (!failed) resolve(chunks.length === 1 && only ? only : Buffer.concat(chunks));
    });
    // An aborted upload surfaces as 'error' (ECONNRESET) or as a 'close' before 'end'.
    const gone = (): void => {
      if (failed || req.complete) return;
      failed = true;
      reject(new ClientDisconnected());
    };
    req.on('error', gone);
    req.on('close', gone);
  });
}

function queryRecord(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    const [only] = values;
    out[key] = values.length === 1 && only !== undefined ? only : values;
  }
  return out;
}
