#!/usr/bin/env node
// Fails when package-lock.json holds a package entry without a version. Such entries (placeholders for other
// platforms' optional native packages) make `npm ci` crash with "Invalid Version:" as soon as the registry serves
// the real package. A lockfile written by a plain `npm install` has none.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const file = process.argv[2] ?? path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const bad = Object.entries(lock.packages ?? {})
  .filter(([key, entry]) => key !== '' && !entry.link && !entry.version)
  .map(([key]) => key);
if (bad.length > 0) {
  console.error(
    `package-lock.json: ${bad.length} package entries have no version (${bad.slice(0, 3).join(', ')}${bad.length > 3 ? ', …' : ''}); ` +
      'regenerate it with: rm -rf node_modules package-lock.json && npm install',
  );
  process.exit(1);
}
console.log(`package-lock.json: ${Object.keys(lock.packages).length - 1} entries, all with versions`);
