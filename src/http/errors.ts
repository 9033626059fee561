import type { NextFunction, Request, Response } from 'express';
import { SupervisorError, errorBody, toSupervisorError } from '../errors.js';
import { maxBodyBytes } from './security.js';

// body-parser marks its errors with a `type`; each one gets a code and a message that names the problem.
function fromBodyParser(error: unknown): SupervisorError | null {
  if (!error || typeof error !== 'object' || !('type' in error)) return null;
  const type = (error as { type: unknown }).type;
  const message = error instanceof Error ? error.message : String(error);
  switch (type) {
    case 'entity.parse.failed':
      return new SupervisorError('ERR_INVALID_JSON', `request body is not valid JSON: ${message}`, { cause: error });
    case 'entity.too.large':
      return new SupervisorError('ERR_PAYLOAD_TOO_LARGE', `request body is over the ${maxBodyBytes}-byte limit`, { cause: error });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new SupervisorError('ERR_UNSUPPORTED_MEDIA_TYPE', message, { cause: error });
    case 'request.aborted':
    case 'request.size.invalid':
      return new SupervisorError('ERR_BAD_REQUEST', message, { cause: error });
    default:
      return null;
  }
}

// The router fails a path parameter with malformed percent-encoding ("/supervisor/server/%zz") with a URIError
// marked status 400; any other error the framework marks 4xx is also the client's, never an internal error.
function fromRouter(error: unknown): SupervisorError | null {
  if (!error || typeof error !== 'object') return null;
  const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return null;
  const message = error instanceof URIError ? `malformed percent-encoding in the path: ${error.message}` : error instanceof Error ? error.message : String(error);
  return new SupervisorError('ERR_BAD_REQUEST', message, { cause: error });
}

/** Renders every error as `{detail, code}` with the status of its code; unexpected errors say nothing internal. */
export function errorHandler(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  const known = error instanceof SupervisorError ? error : fromBodyParser(error) ?? fromRouter(error);
  const shown = known ?? new SupervisorError('ERR_INTERNAL', 'internal error', { cause: toSupervisorError(error) });
  if (!known) console.error('[supervisor] unexpected error:', error);
  res.status(shown.status).json(errorBody(shown));
}

/** 404 for every path nobody answered. */
export function notFound(req: Request, _res: Response, next: NextFunction): void {
  next(new SupervisorError('ERR_NOT_FOUND', `no such endpoint: ${req.method} ${req.path}`));
}

/** 405 for a known path asked with the wrong method. */
export function methodNotAllowed(allowed: string[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.set('Allow', allowed.join(', '));
    next(new SupervisorError('ERR_METHOD_NOT_ALLOWED', `${req.method} is not allowed here; use ${allowed.join(' or ')}`));
  };
}
