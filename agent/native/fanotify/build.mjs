#!/usr/bin/env node
// Builds the fanotify addon at install (root postinstall), with the node-gyp that npm
// ships, like better-sqlite3 (npm_config_nodedir=/usr for the headers). Never fails the
// install: where the build fails (no compiler, not Linux) the agent runs without it and
// falls back to the /proc path, saying so in its status.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
if (process.platform !== 'linux') {
  console.log('fanotify addon: not Linux, skipped');
  process.exit(0);
}
const candidates = [
  process.env.npm_config_node_gyp,
  process.env.npm_execpath &&
    join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
].filter((p) => p && existsSync(p));
if (candidates.length === 0) {
  console.log('fanotify addon: node-gyp not found, skipped (the agent falls back to /proc)');
  process.exit(0);
}
const run = spawnSync(process.execPath, [candidates[0], 'rebuild'], { cwd: here, stdio: 'inherit' });
console.log(run.status === 0 ? 'fanotify addon: built' : 'fanotify addon: build failed, the agent falls back to /proc');
