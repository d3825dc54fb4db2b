import { randomBytes } from 'node:crypto';
import { REQUEST_ID_ALPHABET } from '../core/approvals/request-id-shape';

export { EXAMPLE_REQUEST_ID, isRequestId } from '../core/approvals/request-id-shape';

export function newRequestId(bytes: Buffer = randomBytes(9)): string {
  let id = 'R';
  for (let i = 0; i < 9; i++) id += REQUEST_ID_ALPHABET[(bytes[i] ?? 0) % 32];
  return id;
}
