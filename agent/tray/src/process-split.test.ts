// Keeps the process split honest: electron is imported only at the two edges,
// the renderer takes nothing but types from outside its folder, and nothing in
// the tray reaches into the agent's code (it talks to the agent over HTTP only).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = __dirname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function imports(file: string): { specifier: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import (type )?[^'"]*?from '([^']+)'/gm)].map((m) => ({
    specifier: m[2],
    typeOnly: Boolean(m[1]),
  }));
}

const files = sources(src).map((path) => ({ path: relative(src, path), imports: imports(path) }));

describe('tray process split', () => {
  it('finds the sources it checks', () => {
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining(['main/main.ts', 'preload/preload.ts', 'renderer/renderer.ts', 'common/ipc-channels.ts']),
    );
  });

  it('imports electron only in main/main.ts and preload/preload.ts', () => {
    const users = files.filter((f) => f.imports.some((i) => i.specifier === 'electron')).map((f) => f.path);
    expect(users.sort()).toEqual(['main/main.ts', 'preload/preload.ts']);
  });

  it('lets the renderer take only types from outside its folder', () => {
    const leaks = files
      .filter((f) => f.path.startsWith('renderer/'))
      .flatMap((f) =>
        f.imports.filter((i) => !i.specifier.startsWith('./') && !i.typeOnly).map((i) => `${f.path}: ${i.specifier}`),
      );
    expect(leaks).toEqual([]);
  });

  it('never imports the agent', () => {
    const leaks = files.flatMap((f) =>
      f.imports
        .filter((i) => /@wardwatch\/agent|\.\.\/\.\.\/\.\.\/src|agent\/src/.test(i.specifier))
        .map((i) => `${f.path}: ${i.specifier}`),
    );
    expect(leaks).toEqual([]);
  });
});
