import type { SimResponse } from './http';
import { randomUUID } from 'node:crypto';

/**
 * ARM and Key Vault share the error envelope `{ error: { code, message } }`; the SDKs surface `code`
 * as `RestError.code`.
 */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): SimResponse {
  return { status, body: { error: { code, message } }, headers };
}

export function resourceNotFound(type: string, name: string, resourceGroup: string): SimResponse {
  return errorResponse(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

export function keyNotFound(name: string, version?: string): SimResponse {
  const what = version ? `${name}/${version}` : name;
  return errorResponse(
    404,
    'KeyNotFound',
    `A key with (name/id) ${what} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command.`,
  );
}

export function operationNotAllowed(running: string): SimResponse {
  return errorResponse(
    409,
    'OperationNotAllowed',
    `Operation is not allowed because there's an in progress ${running} operation on the managed cluster. Please wait for it to finish before starting a new operation.`,
  );
}

/** Entra ID's OAuth error shape (not the ARM envelope): MSAL reads `error` and `error_description`. */
export function oauthError(
  status: number,
  error: string,
  aadsts: number,
  description: string,
  now: number,
): SimResponse {
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${aadsts}: ${description} Timestamp: ${new Date(now).toISOString()}`,
      error_codes: [aadsts],
      timestamp: new Date(now).toISOString(),
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
    },
  };
}
