// Holds the storage rule the README states, so it is checked rather than written:
// only repositories, entities and database/ import TypeORM, and a feature reaches
// another feature's storage only through that feature's services.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = __dirname;
const NOT_PRODUCTION = /\.(test|fixture|bench)\.ts$|^testing\//;

function productionFiles(folder = root): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return productionFiles(path);
    const name = relative(root, path);
    return name.endsWith('.ts') && !NOT_PRODUCTION.test(name) ? [name] : [];
  });
}

const importsOf = (file: string) =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);

describe('storage boundary', () => {
  const files = productionFiles();

  it('lets only repositories, entities and database/ import TypeORM', () => {
    const allowed = (file: string) =>
      /\.(repository|entity)\.ts$/.test(file) || file.startsWith('database/') || file === 'entities.ts';
    expect(files.filter((file) => !allowed(file) && importsOf(file).includes('typeorm'))).toEqual([]);
  });

  it("keeps each feature's repositories to itself", () => {
    // cli/ is a composition root like app.module.ts: it wires repositories into services by hand.
    const crossing = files
      .filter((file) => !file.startsWith('cli/'))
      .flatMap((file) => {
        const feature = file.split('/')[0];
        return importsOf(file)
          .filter((target) => /^\.\.\/[^/]+\/[^/]+\.repository$/.test(target))
          .filter((target) => target.split('/')[1] !== feature)
          .map((target) => `${file} → ${target}`);
      });
    expect(crossing).toEqual([]);
  });
});
