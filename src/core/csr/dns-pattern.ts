// Configured DNS patterns are globs, not regexes: `*` stands for exactly one DNS label, so
// `*.nodes.example.com` allows `worker-1.nodes.example.com` but not `a.b.nodes.example.com`
// (a regex typo such as a missing `\.` would silently allow far more than intended).

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[a-z0-9-]+');
  return new RegExp(`^${escaped}$`);
}

export function matchesDnsPattern(name: string, patterns: readonly string[]): boolean {
  const lower = name.toLowerCase().replace(/\.$/, '');
  return patterns.some((pattern) => globToRegExp(pattern).test(lower));
}
