// One rule for counted nouns, so no message says "1 certificates" or "2 reply".

const IRREGULAR: Record<string, string> = {
  reply: 'replies',
  key: 'keys',
  is: 'are',
  was: 'were',
  has: 'have',
  this: 'these',
};

/** The plural of a lower-case English noun certops uses. */
export function pluralOf(noun: string): string {
  const irregular = IRREGULAR[noun];
  if (irregular) return irregular;
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(noun)) return `${noun}es`;
  return `${noun}s`;
}

/** The noun alone, singular for one: `noun(1, 'secret')` → "secret", `noun(2, 'secret')` → "secrets". */
export function noun(count: number, singular: string, plural = pluralOf(singular)): string {
  return count === 1 ? singular : plural;
}

/** "1 certificate", "2 certificates", "0 replies"; `rest` follows the noun ("1 secret rewritten"). */
export function plural(count: number, singular: string, rest = '', pluralForm?: string): string {
  const head = `${count} ${noun(count, singular, pluralForm)}`;
  return rest ? `${head} ${rest}` : head;
}
