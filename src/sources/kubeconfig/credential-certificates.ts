import { parseCertificates, type FoundAt } from '../../core/x509';
import type { Inventory } from '../inventory';
import { decodeDataField } from './kubeconfig-entries';

/**
 * A kubeconfig certificate field → inventory: the base64 `*-data` value, or the content of the
 * file it names (undefined content = the file could not be read, `readError` says why).
 */
export function certificatesFromCredential(
  credential: { data?: string; file?: string; fileContent?: string | Uint8Array; readError?: string },
  foundAt: FoundAt,
): Inventory {
  const fail = (message: string): Inventory => ({
    certificates: [],
    errors: [{ location: foundAt.location, message }],
  });
  let content: string | Uint8Array;
  if (credential.data !== undefined) {
    const decoded = decodeDataField(credential.data);
    if (!decoded) return fail('the certificate data is not valid base64');
    content = decoded;
  } else if (credential.fileContent !== undefined) {
    content = credential.fileContent;
  } else {
    return fail(`cannot read ${credential.file ?? 'the certificate file'}: ${credential.readError ?? 'not found'}`);
  }
  // kubectl accepts only PEM here; a file named by path may be DER like any .crt.
  const parsed = parseCertificates(content, foundAt, { allowDer: credential.data === undefined });
  if (!parsed.ok) return fail(parsed.message);
  return {
    certificates: parsed.certificates,
    errors: parsed.problems.map((message) => ({ location: foundAt.location, message })),
  };
}
