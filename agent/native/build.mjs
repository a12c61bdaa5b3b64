#!/usr/bin/env node
// Builds the agent's Linux addons at install (root postinstall), with the node-gyp that npm
// ships, like better-sqlite3 (npm_config_nodedir=/usr for the headers): every folder here with
// a binding.gyp. Never fails the install: where a build fails (no compiler, not Linux) the agent
// runs without that addon and says so (fanotify: the /proc path; folder-watch: fs.watch).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const addons = readdirSync(here).filter((name) => existsSync(join(here, name, 'binding.gyp')));
if (process.platform !== 'linux') {
  console.log(`addons (${addons.join(', ')}): not Linux, skipped`);
  process.exit(0);
}
const nodeGyp = [
  process.env.npm_config_node_gyp,
  process.env.npm_execpath &&
    join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
].find((p) => p && existsSync(p));
for (const addon of addons) {
  if (!nodeGyp) {
    console.log(`${addon} addon: node-gyp not found, skipped (the agent runs without it)`);
    continue;
  }
  const run = spawnSync(process.execPath, [nodeGyp, 'rebuild'], { cwd: join(here, addon), stdio: 'inherit' });
  console.log(`${addon} addon: ${run.status === 0 ? 'built' : 'build failed, the agent runs without it'}`);
}
