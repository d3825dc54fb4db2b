import '../pki/issue';
import * as x509 from '@peculiar/x509';
import { fieldError, type FieldError } from './status';
import type { Condition, CsrObject } from './types';

const VALID_USAGES = [
  'any',
  'cert sign',
  'client auth',
  'code signing',
  'content commitment',
  'crl sign',
  'data encipherment',
  'decipher only',
  'digital signature',
  'email protection',
  'encipher only',
  'ipsec end system',
  'ipsec tunnel',
  'ipsec user',
  'key agreement',
  'key encipherment',
  'microsoft sgc',
  'netscape sgc',
  'ocsp signing',
  's/mime',
  'server auth',
  'signing',
  'timestamping',
];
const ALL_STATUS = ['False', 'True', 'Unknown'];
const TRUE_ONLY_TYPES = ['Approved', 'Denied', 'Failed'];
const SIGNER_NAME =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+\/[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;

/** Decodes spec.request (base64 of a PEM CERTIFICATE REQUEST) or says why it is not one. */
export function parseCsrRequest(request: string | undefined): x509.Pkcs10CertificateRequest | string {
  if (!request) return 'PEM block type must be CERTIFICATE REQUEST';
  const pem = Buffer.from(request, 'base64').toString('utf8');
  const block = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (!block || block[1] !== 'CERTIFICATE REQUEST') return 'PEM block type must be CERTIFICATE REQUEST';
  try {
    return new x509.Pkcs10CertificateRequest(block[0]);
  } catch (err) {
    return `asn1: structure error: ${(err as Error).message}`;
  }
}

/** The request's subjectAltName extension, if it has one. */
export function subjectAltNames(csr: x509.Pkcs10CertificateRequest): x509.SubjectAlternativeNameExtension | undefined {
  const ext = csr.getExtension('2.5.29.17');
  return ext ? new x509.SubjectAlternativeNameExtension(ext.rawData) : undefined;
}

function validateConditions(conditions: Condition[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  conditions.forEach((c, i) => {
    const path = `status.conditions[${i}]`;
    if (!c.type) errors.push(fieldError.required(`${path}.type`));
    const allowed = TRUE_ONLY_TYPES.includes(c.type) ? ['True'] : ALL_STATUS;
    if (!c.status) errors.push(fieldError.required(`${path}.status`));
    else if (!allowed.includes(c.status)) errors.push(fieldError.notSupported(`${path}.status`, c.status, allowed));
    if (c.type === 'Approved') {
      approved = true;
      if (denied)
        errors.push(
          fieldError.invalid(`${path}.type`, c.type, 'Approved and Denied conditions are mutually exclusive'),
        );
    }
    if (c.type === 'Denied') {
      denied = true;
      if (approved)
        errors.push(
          fieldError.invalid(`${path}.type`, c.type, 'Approved and Denied conditions are mutually exclusive'),
        );
    }
    if (seen.has(c.type)) errors.push(fieldError.duplicate(`${path}.type`, c.type));
    seen.add(c.type);
  });
  return errors;
}

/** The checks of validateCertificateSigningRequest (certificates.k8s.io/v1) on create. */
export function validateCsr(csr: CsrObject): FieldError[] {
  const errors: FieldError[] = [];
  const spec = csr.spec ?? ({} as CsrObject['spec']);
  const parsed = parseCsrRequest(spec.request);
  if (typeof parsed === 'string') errors.push(fieldError.invalid('spec.request', '<request data>', parsed));
  const usages = spec.usages ?? [];
  if (usages.length === 0) errors.push(fieldError.required('spec.usages'));
  const seen = new Set<string>();
  usages.forEach((usage, i) => {
    if (!VALID_USAGES.includes(usage)) errors.push(fieldError.notSupported(`spec.usages[${i}]`, usage, VALID_USAGES));
    if (seen.has(usage)) errors.push(fieldError.duplicate(`spec.usages[${i}]`, usage));
    seen.add(usage);
  });
  if (!spec.signerName) errors.push(fieldError.required('spec.signerName'));
  else if (spec.signerName === 'kubernetes.io/legacy-unknown') {
    errors.push(
      fieldError.invalid(
        'spec.signerName',
        spec.signerName,
        'the legacy signerName is not allowed via this API version',
      ),
    );
  } else if (!SIGNER_NAME.test(spec.signerName)) {
    errors.push(
      fieldError.invalid(
        'spec.signerName',
        spec.signerName,
        "must be a fully qualified domain and path of the form 'example.com/signer-name'",
      ),
    );
  }
  if (spec.expirationSeconds !== undefined && spec.expirationSeconds < 600) {
    errors.push(
      fieldError.invalid(
        'spec.expirationSeconds',
        spec.expirationSeconds,
        'may not specify a duration less than 600 seconds (10 minutes)',
      ),
    );
  }
  errors.push(...validateConditions(csr.status?.conditions ?? []));
  return errors;
}

function conditionsOf(csr: CsrObject, type: string): Condition[] {
  return (csr.status?.conditions ?? []).filter((c) => c.type === type);
}

function certificatePem(csr: CsrObject): string {
  return csr.status?.certificate ? Buffer.from(csr.status.certificate, 'base64').toString('utf8') : '';
}

/** validateCertificateSigningRequestUpdate for the approval (`approval: true`) or status subresource. */
export function validateCsrUpdate(next: CsrObject, old: CsrObject, via: 'approval' | 'status' | 'main'): FieldError[] {
  const errors = validateConditions(next.status?.conditions ?? []);
  for (const type of ['Approved', 'Denied', 'Failed']) {
    if (conditionsOf(next, type).length < conditionsOf(old, type).length) {
      errors.push(fieldError.forbidden('status.conditions', `updates may not remove a condition of type "${type}"`));
    }
  }
  if (via !== 'approval') {
    for (const type of ['Approved', 'Denied']) {
      const before = conditionsOf(old, type);
      const after = conditionsOf(next, type);
      if (after.length > before.length)
        errors.push(fieldError.forbidden('status.conditions', `updates may not add a condition of type "${type}"`));
      else if (after.length === before.length && JSON.stringify(after) !== JSON.stringify(before)) {
        errors.push(fieldError.forbidden('status.conditions', `updates may not modify a condition of type "${type}"`));
      }
    }
  }
  const newCert = certificatePem(next);
  const oldCert = certificatePem(old);
  if (newCert !== oldCert) {
    if (via !== 'status')
      errors.push(fieldError.forbidden('status.certificate', 'updates may not set certificate content'));
    else if (oldCert)
      errors.push(fieldError.forbidden('status.certificate', 'updates may not modify existing certificate content'));
    else if (!/-----BEGIN CERTIFICATE-----/.test(newCert)) {
      errors.push(
        fieldError.invalid(
          'status.certificate',
          '<certificate data>',
          'must contain at least one CERTIFICATE PEM block',
        ),
      );
    }
  }
  return errors;
}
