// The manager serves the build under CSP default-src 'self': index.html may load
// scripts and styles only from files, never inline, and nothing may be inlined as a
// data: URL. This builds the dashboard for real into a temporary folder and checks.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const configFile = fileURLToPath(new URL('../../vite.config.ts', import.meta.url));
let outDir = '';

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'ww-dashboard-build-'));
  await build({ configFile, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
}, 60_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('dashboard build', () => {
  it('has no inline script, inline handler, inline style or data: URL in index.html', () => {
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\/[^"]+\.js"/);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toContain('data:');
  });

  it('emits only files in assets/ that index.html links with base "/"', () => {
    const assets = readdirSync(join(outDir, 'assets'));
    expect(assets.some((name) => name.endsWith('.js'))).toBe(true);
    expect(assets.some((name) => name.endsWith('.css'))).toBe(true);
    const css = assets
      .filter((name) => name.endsWith('.css'))
      .map((name) => readFileSync(join(outDir, 'assets', name), 'utf8'));
    for (const text of css) expect(text).not.toContain('data:');
  });
});
