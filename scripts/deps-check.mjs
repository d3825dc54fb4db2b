// Folder-level import direction and module cycles of src/, measured with dependency-cruiser.
// Prints every folder arrow that points up the layers of scripts/layers.cjs (with the files behind it) and every
// import cycle (type-only imports included); exits 1 when there is any.
import { createRequire } from 'node:module';
import { cruise } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const require = createRequire(import.meta.url);
const { rankOf, folderOf } = require('./layers.cjs');

const tsConfig = extractTSConfig('tsconfig.json');
const { output } = await cruise(
  ['src'],
  {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  },
  {},
  { tsConfig },
);

const edges = new Map(); // module -> modules it imports (inside src/)
const folderArrows = new Map(); // "a -> b" -> [file imports]
for (const module of output.modules) {
  const from = folderOf(module.source);
  if (from === undefined) continue;
  const targets = [];
  for (const dependency of module.dependencies) {
    const to = folderOf(dependency.resolved);
    if (to === undefined) continue;
    targets.push(dependency.resolved);
    if (to === from) continue;
    const key = `${from} -> ${to}`;
    if (!folderArrows.has(key)) folderArrows.set(key, []);
    folderArrows.get(key).push(`${module.source} -> ${dependency.resolved}`);
  }
  edges.set(module.source, targets);
}

const unknown = new Set();
const upward = [];
for (const [key, imports] of [...folderArrows].sort()) {
  const [from, to] = key.split(' -> ');
  const [fromRank, toRank] = [rankOf(from), rankOf(to)];
  if (fromRank === undefined) unknown.add(from);
  if (toRank === undefined) unknown.add(to);
  if (fromRank !== undefined && toRank !== undefined && toRank > fromRank) upward.push([key, imports]);
}

// Tarjan's strongly connected components: each component of more than one module is a cycle.
const cycles = [];
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
let counter = 0;
function visit(node) {
  index.set(node, counter);
  low.set(node, counter);
  counter += 1;
  stack.push(node);
  onStack.add(node);
  for (const next of edges.get(node) ?? []) {
    if (!index.has(next)) {
      visit(next);
      low.set(node, Math.min(low.get(node), low.get(next)));
    } else if (onStack.has(next)) {
      low.set(node, Math.min(low.get(node), index.get(next)));
    }
  }
  if (low.get(node) === index.get(node)) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) cycles.push(component.sort());
  }
}
for (const node of edges.keys()) if (!index.has(node)) visit(node);

for (const [key, imports] of upward) {
  console.log(`up: ${key} (${imports.length})`);
  for (const line of imports) console.log(`    ${line}`);
}
for (const cycle of cycles) console.log(`cycle: ${cycle.join(' <-> ')}`);
for (const folder of unknown) console.log(`unknown folder: ${folder} (add it to scripts/layers.cjs)`);
console.log(
  `${output.modules.length} modules, ${folderArrows.size} folder arrows, ${upward.length} point up, ${cycles.length} import cycles`,
);
process.exitCode = upward.length > 0 || cycles.length > 0 || unknown.size > 0 ? 1 : 0;
