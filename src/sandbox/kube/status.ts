import type { ResourceInfo } from './types';
import { qualifiedResource } from './types';

/** A meta/v1 Status as the API server sends it with an error response. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: Array<{ reason: string; message: string; field?: string }>;
  retryAfterSeconds?: number;
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function reasonFor(code: number): string {
  return REASONS[code] ?? 'Unknown';
}

/** Thrown by handlers; the server turns it into the Status response. */
export class ApiError extends Error {
  constructor(
    readonly status: StatusBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(status.message);
    this.name = 'ApiError';
  }
}

export function statusBody(
  code: number,
  message: string,
  reason = reasonFor(code),
  details?: StatusDetails,
): StatusBody {
  const body: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) body.details = details;
  return body;
}

function resourceDetails(info: ResourceInfo, name?: string): StatusDetails {
  const details: StatusDetails = {};
  if (name !== undefined) details.name = name;
  if (info.group) details.group = info.group;
  details.kind = info.plural;
  return details;
}

export function notFound(info: ResourceInfo, name: string): ApiError {
  return new ApiError(
    statusBody(404, `${qualifiedResource(info)} "${name}" not found`, 'NotFound', resourceDetails(info, name)),
  );
}

export function alreadyExists(info: ResourceInfo, name: string): ApiError {
  return new ApiError(
    statusBody(
      409,
      `${qualifiedResource(info)} "${name}" already exists`,
      'AlreadyExists',
      resourceDetails(info, name),
    ),
  );
}

export function conflict(info: ResourceInfo, name: string): ApiError {
  const message = `Operation cannot be fulfilled on ${qualifiedResource(info)} "${name}": the object has been modified; please apply your changes to the latest version and try again`;
  return new ApiError(statusBody(409, message, 'Conflict', resourceDetails(info, name)));
}

export interface FieldError {
  field: string;
  /** FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate, FieldValueForbidden */
  reason: string;
  /** The full text, e.g. `spec.usages: Required value`. */
  message: string;
}

export const fieldError = {
  required: (field: string): FieldError => ({
    field,
    reason: 'FieldValueRequired',
    message: `${field}: Required value`,
  }),
  invalid: (field: string, value: unknown, detail: string): FieldError => ({
    field,
    reason: 'FieldValueInvalid',
    message: `${field}: Invalid value: ${JSON.stringify(value)}: ${detail}`,
  }),
  notSupported: (field: string, value: unknown, supported: string[]): FieldError => ({
    field,
    reason: 'FieldValueNotSupported',
    message: `${field}: Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
  }),
  duplicate: (field: string, value: unknown): FieldError => ({
    field,
    reason: 'FieldValueDuplicate',
    message: `${field}: Duplicate value: ${JSON.stringify(value)}`,
  }),
  forbidden: (field: string, detail: string): FieldError => ({
    field,
    reason: 'FieldValueForbidden',
    message: `${field}: Forbidden: ${detail}`,
  }),
};

/** 422 with the message layout of apierrors.NewInvalid. */
export function invalid(info: ResourceInfo, name: string, errors: FieldError[]): ApiError {
  const list = errors.map((e) => e.message);
  const joined = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  const group = info.group ? `.${info.group}` : '';
  const details = resourceDetails(info, name);
  details.kind = info.kind;
  details.causes = errors.map((e) => ({
    reason: e.reason,
    message: e.message.slice(e.field.length + 2),
    field: e.field,
  }));
  return new ApiError(statusBody(422, `${info.kind}${group} "${name}" is invalid: ${joined}`, 'Invalid', details));
}

export function badRequest(message: string): ApiError {
  return new ApiError(statusBody(400, message, 'BadRequest'));
}

export function methodNotAllowed(): ApiError {
  return new ApiError(
    statusBody(405, 'the server does not allow this method on the requested resource', 'MethodNotAllowed', {}),
  );
}

export function pathNotFound(): ApiError {
  return new ApiError(statusBody(404, 'the server could not find the requested resource', 'NotFound', {}));
}

export function unauthorized(): ApiError {
  return new ApiError(statusBody(401, 'Unauthorized', 'Unauthorized'));
}

export function expired(message: string, metadata: Record<string, unknown> = {}): ApiError {
  const body = statusBody(410, message, 'Expired');
  body.metadata = metadata;
  return new ApiError(body);
}
