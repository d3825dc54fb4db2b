// node:crypto prints a distinguished name one attribute per line ("CN=x\nO=a\nO=b").

export function formatDistinguishedName(nodeText: string): string {
  return nodeText.split('\n').filter(Boolean).join(', ');
}

/** The values of one attribute type, in order. */
export function attributeValues(nodeText: string, type: string): string[] {
  const prefix = `${type}=`;
  return nodeText
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length));
}

export function commonName(nodeText: string): string {
  const values = attributeValues(nodeText, 'CN');
  return values[values.length - 1] ?? '';
}
