import { ApiError, statusBody } from './status';
import type { Condition, CsrObject, ObjectMeta } from './types';

/**
 * Just enough of the Kubernetes protobuf encoding to read what kubectl's typed clients send: kubectl
 * `certificate approve|deny`, `create secret`, `create namespace` and `auth whoami` send application/vnd.kubernetes.protobuf
 * (and never fall back to JSON).
 */
type Field = number | Buffer;
type Fields = Map<number, Field[]>;

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

function readVarint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const byte = buf[pos++] as number;
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7;
  }
}

function parseFields(buf: Buffer): Fields {
  const fields: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    const [tag, afterTag] = readVarint(buf, pos);
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    let value: Field;
    if (wireType === 0) [value, pos] = readVarint(buf, afterTag);
    else if (wireType === 2) {
      const [length, start] = readVarint(buf, afterTag);
      value = buf.subarray(start, start + length);
      pos = start + length;
    } else if (wireType === 1) [value, pos] = [buf.readDoubleLE(afterTag), afterTag + 8];
    else if (wireType === 5) [value, pos] = [buf.readUInt32LE(afterTag), afterTag + 4];
    else throw new Error(`unsupported wire type ${wireType}`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

const bytes = (f: Fields, n: number): Buffer | undefined => f.get(n)?.find((v): v is Buffer => Buffer.isBuffer(v));
const text = (f: Fields, n: number): string | undefined => bytes(f, n)?.toString('utf8');
const texts = (f: Fields, n: number): string[] =>
  (f.get(n) ?? []).filter((v): v is Buffer => Buffer.isBuffer(v)).map((b) => b.toString('utf8'));
const messages = (f: Fields, n: number): Fields[] =>
  (f.get(n) ?? []).filter((v): v is Buffer => Buffer.isBuffer(v)).map(parseFields);
const int = (f: Fields, n: number): number | undefined => f.get(n)?.find((v): v is number => typeof v === 'number');

function time(f: Fields | undefined): string | undefined {
  const seconds = f ? int(f, 1) : undefined;
  return seconds === undefined ? undefined : new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function stringMap(f: Fields, n: number): Record<string, string> | undefined {
  const entries = messages(f, n);
  return entries.length > 0 ? Object.fromEntries(entries.map((e) => [text(e, 1) ?? '', text(e, 2) ?? ''])) : undefined;
}

function objectMeta(f: Fields | undefined): ObjectMeta {
  if (!f) return {};
  const meta: ObjectMeta = { name: text(f, 1), namespace: text(f, 3), uid: text(f, 5), resourceVersion: text(f, 6) };
  const labels = stringMap(f, 11);
  const annotations = stringMap(f, 12);
  if (labels) meta.labels = labels;
  if (annotations) meta.annotations = annotations;
  for (const key of Object.keys(meta)) if (meta[key] === undefined) delete meta[key];
  return meta;
}

function condition(f: Fields): Condition {
  const c: Condition = { type: text(f, 1) ?? '', status: text(f, 6) ?? '' };
  const optional = {
    reason: text(f, 2),
    message: text(f, 3),
    lastUpdateTime: time(messages(f, 4)[0]),
    lastTransitionTime: time(messages(f, 5)[0]),
  };
  for (const [key, value] of Object.entries(optional)) if (value) c[key] = value;
  return c;
}

function csr(f: Fields): CsrObject {
  const spec = messages(f, 2)[0] ?? new Map();
  const status = messages(f, 3)[0] ?? new Map();
  const certificate = bytes(status, 2);
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: objectMeta(messages(f, 1)[0]),
    spec: {
      request: bytes(spec, 1)?.toString('base64') ?? '',
      signerName: text(spec, 7) ?? '',
      usages: texts(spec, 5),
      ...(int(spec, 8) !== undefined ? { expirationSeconds: int(spec, 8) } : {}),
    },
    status: {
      conditions: messages(status, 1).map(condition),
      ...(certificate?.length ? { certificate: certificate.toString('base64') } : {}),
    },
  };
}

function bytesMap(f: Fields, n: number): Record<string, string> | undefined {
  const entries = messages(f, n);
  return entries.length > 0
    ? Object.fromEntries(entries.map((e) => [text(e, 1) ?? '', (bytes(e, 2) ?? Buffer.alloc(0)).toString('base64')]))
    : undefined;
}

function secret(f: Fields): unknown {
  const data = bytesMap(f, 2);
  const stringData = stringMap(f, 4);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: objectMeta(messages(f, 1)[0]),
    ...(text(f, 3) ? { type: text(f, 3) } : {}),
    ...(data ? { data } : {}),
    ...(stringData ? { stringData } : {}),
  };
}

const namespace = (f: Fields): unknown => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: objectMeta(messages(f, 1)[0]),
});

const selfSubjectReview = (f: Fields): unknown => ({
  apiVersion: 'authentication.k8s.io/v1',
  kind: 'SelfSubjectReview',
  metadata: objectMeta(messages(f, 1)[0]),
});

const DECODERS: Record<string, (f: Fields) => unknown> = {
  CertificateSigningRequest: csr,
  Secret: secret,
  Namespace: namespace,
  SelfSubjectReview: selfSubjectReview,
};

/** Decodes a `k8s\0` + runtime.Unknown envelope into the JSON form of the object. */
export function decodeProtobuf(body: Buffer): unknown {
  const unsupported = (why: string) =>
    new ApiError(
      statusBody(
        415,
        `the body of the request was in an unknown format - accepted media types include: application/json (${why})`,
        'UnsupportedMediaType',
      ),
    );
  if (!body.subarray(0, 4).equals(MAGIC)) throw unsupported('missing protobuf magic');
  try {
    const unknown = parseFields(body.subarray(4));
    const typeMeta = messages(unknown, 1)[0] ?? new Map();
    const kind = text(typeMeta, 2) ?? '';
    const decode = DECODERS[kind];
    if (!decode) throw unsupported(`no protobuf decoder for kind ${kind}`);
    return decode(parseFields(bytes(unknown, 2) ?? Buffer.alloc(0)));
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw unsupported((err as Error).message);
  }
}
