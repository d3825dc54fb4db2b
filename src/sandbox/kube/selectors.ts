import { badRequest } from './status';
import type { KubeObject } from './types';

export type Matcher = (obj: KubeObject) => boolean;

/** Splits on commas that are not inside parentheses: `a in (x,y),b` → [`a in (x,y)`, `b`]. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) terms.push(current.trim());
  return terms.filter((t) => t.length > 0);
}

function labelTerm(term: string): (labels: Record<string, string>) => boolean {
  const setMatch = /^([^\s!=]+)\s+(in|notin)\s+\((.*)\)$/.exec(term);
  if (setMatch) {
    const [, key = '', op, list = ''] = setMatch;
    const values = list.split(',').map((v) => v.trim());
    return op === 'in'
      ? (l) => key in l && values.includes(l[key] ?? '')
      : (l) => !(key in l) || !values.includes(l[key] ?? '');
  }
  const cmp = /^([^\s!=]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (cmp) {
    const [, key = '', op, value = ''] = cmp;
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  if (/^![^\s!=]+$/.test(term)) return (l) => !(term.slice(1) in l);
  if (/^[^\s!=()]+$/.test(term)) return (l) => term in l;
  throw badRequest(`unable to parse requirement: found '${term}', expected: valid label selector`);
}

export function parseLabelSelector(selector: string | null): Matcher {
  if (!selector) return () => true;
  const tests = splitTerms(selector).map(labelTerm);
  return (obj) => tests.every((test) => test(obj.metadata.labels ?? {}));
}

/** Field extractors a resource supports besides metadata.name and metadata.namespace. */
export type FieldExtractors = Record<string, (obj: KubeObject) => string | undefined>;

const COMMON_FIELDS: FieldExtractors = {
  'metadata.name': (obj) => obj.metadata.name,
  'metadata.namespace': (obj) => obj.metadata.namespace ?? '',
};

export function parseFieldSelector(selector: string | null, fields: FieldExtractors = {}): Matcher {
  if (!selector) return () => true;
  const known = { ...COMMON_FIELDS, ...fields };
  const tests = splitTerms(selector).map((term) => {
    const match = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!match) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const [, field = '', op, value = ''] = match;
    const extract = known[field];
    if (!extract) throw badRequest(`field label not supported: ${field}`);
    return op === '!='
      ? (obj: KubeObject) => (extract(obj) ?? '') !== value
      : (obj: KubeObject) => (extract(obj) ?? '') === value;
  });
  return (obj) => tests.every((test) => test(obj));
}
