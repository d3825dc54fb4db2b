// ESLint overrides that refuse an import pointing up the layers of scripts/layers.cjs: for every folder of src/ and
// every depth below it, a relative import that climbs to src/ and names a higher folder is an error.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { LAYERS, KNOWN_UPWARD, rankOf } = require('./layers.cjs');

const MAX_DEPTH = 6;
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function importDirectionConfigs() {
  const configs = [];
  for (const folder of LAYERS.flat()) {
    if (folder === '(root)') continue;
    const above = LAYERS.flat().filter((other) => other !== '(root)' && rankOf(other) > rankOf(folder));
    if (above.length === 0) continue;
    for (let depth = 1; depth <= MAX_DEPTH; depth++) {
      const climb = '\\.\\./'.repeat(depth);
      configs.push({
        files: [`src/${folder}/${'*/'.repeat(depth - 1)}*.ts`],
        ignores: KNOWN_UPWARD,
        rules: {
          'no-restricted-imports': [
            'error',
            {
              patterns: [
                {
                  regex: `^${climb}(?:${above.map(escape).join('|')})(?:/|$)`,
                  message: `${folder}/ may import only its own layer and those below it (scripts/layers.cjs, docs/ARCHITECTURE.md): pass what you need in, or move the code down.`,
                },
                // cli.ts wires everything; nothing imports it.
                { regex: `^${climb}cli(?:\\.js)?$`, message: 'nothing imports the CLI entry point' },
              ],
            },
          ],
        },
      });
    }
  }
  return configs;
}
