import { CATALOGUE, type OperationId } from './catalogue';
import { KEY_ID_HINT, KEY_VAULT_NETWORK_ACCESS, LATEST_KEY_VERSION, VAULT_ID_HINT } from './kms-params';

/** One parameter a person types: `word=value` on the slash command, one input in the form. */
export interface ParamField {
  /** The parameter's name in the catalogue's schema. */
  key: string;
  /** What the slash command calls it (`key=…`). */
  word: string;
  label: string;
  hint: string;
  /** A choice among these instead of free text. */
  options?: readonly string[];
  /** Shown first when nothing was chosen. */
  initial?: string;
  optional: boolean;
}

const keyId = (hint: string): ParamField => ({ key: 'keyId', word: 'key', label: 'Key id', hint, optional: false });
const networkAccess: ParamField = {
  key: 'networkAccess',
  word: 'access',
  label: 'Vault network access',
  hint: 'Public: the API server reaches the vault over its public endpoint. Private: through a private link to the vault.',
  options: KEY_VAULT_NETWORK_ACCESS,
  initial: 'Public',
  // kms-enable defaults to Public.
  optional: true,
};
const vaultId = (hint: string): ParamField => ({
  key: 'vaultResourceId',
  word: 'vault',
  label: 'Vault resource id',
  hint,
  optional: true,
});

/** The parameters a person gives each operation they may request (the others take none). */
export const OPERATION_FIELDS: Partial<Record<OperationId, readonly ParamField[]>> = {
  'kms-enable': [keyId(`${KEY_ID_HINT}.`), networkAccess, vaultId(`Required for Private: ${VAULT_ID_HINT}.`)],
  'kms-change-key': [
    keyId(`${KEY_ID_HINT}, or "${LATEST_KEY_VERSION}" for the newest version of the key the cluster uses now.`),
  ],
  'kms-set-vault-access': [
    {
      ...networkAccess,
      label: 'New vault network access',
      initial: undefined,
      optional: false,
      hint: 'The mode to move to; KMS is turned off and on again around the change.',
    },
    vaultId(`Required to go Private (going Public, the cluster's current one is used): ${VAULT_ID_HINT}.`),
  ],
};

export function paramFields(operation: OperationId): readonly ParamField[] {
  return OPERATION_FIELDS[operation] ?? [];
}

export type ParamsCheck = { ok: true; params: Record<string, unknown> } | { ok: false; errors: Record<string, string> };

/**
 * Typed answers (blank ones left out) checked by the catalogue's schema; each error names the field it belongs
 * to, so the form shows it under that field and the command names the word to fix.
 */
export function checkParams(
  operation: OperationId,
  answers: Readonly<Record<string, string | undefined>>,
): ParamsCheck {
  const fields = paramFields(operation);
  const given = Object.fromEntries(
    fields.flatMap((f) => {
      const value = answers[f.key]?.trim();
      return value ? [[f.key, value]] : [];
    }),
  );
  const parsed = CATALOGUE[operation].params.safeParse(given);
  if (parsed.success) return { ok: true, params: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? fields[0]?.key ?? 'params');
    const message = given[key] === undefined && issue.code !== 'custom' ? 'required' : issue.message;
    errors[key] ??= message;
  }
  return { ok: false, errors };
}

export type CommandParams =
  { ok: true; answers: Record<string, string>; rest: string[] } | { ok: false; message: string };

/** Leading `word=value` arguments of the slash command, mapped to the operation's fields; the rest is the reason. */
export function splitCommandParams(operation: OperationId, args: readonly string[]): CommandParams {
  const fields = paramFields(operation);
  const answers: Record<string, string> = {};
  let index = 0;
  for (; index < args.length; index++) {
    const match = /^([a-z]+)=(.*)$/.exec(args[index] as string);
    if (!match) break;
    const field = fields.find((f) => f.word === match[1]);
    if (!field) {
      const known = fields.map((f) => `${f.word}=`).join(', ');
      return { ok: false, message: `\`${operation}\` takes no \`${match[1]}=\`${known ? `; it takes ${known}` : ''}.` };
    }
    answers[field.key] = match[2] as string;
  }
  return { ok: true, answers, rest: args.slice(index) };
}

/** How the slash command is written for one operation, e.g. `key=<key id> access=Public|Private [vault=<vault id>]`. */
export function commandParamsUsage(operation: OperationId): string {
  return paramFields(operation)
    .map((f) => {
      const word = `${f.word}=${f.options ? f.options.join('|') : `<${f.label.toLowerCase()}>`}`;
      return f.optional ? `[${word}]` : word;
    })
    .join(' ');
}
