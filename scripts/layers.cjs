// The layers of src/, top to bottom: a folder may import its own layer's peers and anything below, never above.
// Read by `npm run deps:check` (scripts/deps-check.mjs) and by the import-direction rule in eslint.config.mjs.
const LAYERS = [
  ['(root)'], // cli.ts: parses, then hands over
  ['commands'], // the CLI's subcommands
  ['service', 'sandbox'], // the composition root; the simulators (a tool of their own)
  ['server'], // /healthz, /readyz, /metrics
  ['csr', 'digest', 'expiry'], // features
  ['access'],
  ['approvals'],
  ['queue'],
  ['slack'], // the toolkit below the features
  ['operations'],
  ['metrics'],
  ['sources'],
  ['clusters', 'watch'],
  ['state'],
  ['config'],
  ['core'],
  ['util'],
];

// Files that still import a layer above their own (features reaching into service/ for BotContext, slack/ listeners
// reaching into the features). The lint rule lets these through and stops every new one; `npm run deps:check` lists
// what each still imports. Delete a line once its file imports only downward.
const KNOWN_UPWARD = [];

/** Rank of a top-level folder of src/ (higher may import lower); undefined for a folder not in the table. */
function rankOf(folder) {
  const index = LAYERS.findIndex((layer) => layer.includes(folder));
  return index < 0 ? undefined : LAYERS.length - index;
}

/** The top-level folder of a path under src/ ("(root)" for a file directly in src/), or undefined outside src/. */
function folderOf(path) {
  const match = /^src\/(?:([^/]+)\/)?[^/]+$/.exec(path.replace(/\\/g, '/')) ?? /^src\/([^/]+)\//.exec(path);
  if (!match) return undefined;
  return match[1] ?? '(root)';
}

module.exports = { LAYERS, KNOWN_UPWARD, rankOf, folderOf };
