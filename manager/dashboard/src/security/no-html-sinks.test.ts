// Strings from workstations (hostnames, users, paths, reasons, detail values) must
// only ever reach the page as React text. This scan fails the build's tests if any
// dashboard source uses an HTML or code sink that could turn such a string into markup
// or script.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dashboardRoot = fileURLToPath(new URL('../..', import.meta.url));
const sourceRoot = join(dashboardRoot, 'src');

// Built from pieces so this file does not flag itself.
const forbidden = [
  ['dangerously', 'SetInnerHTML'],
  ['inner', 'HTML'],
  ['outer', 'HTML'],
  ['insertAdjacent', 'HTML'],
  ['document', '.write'],
  ['new ', 'Function('],
  ['createContextual', 'Fragment'],
].map((parts) => parts.join(''));
const evalCall = new RegExp(['\\be', 'val\\s*\\('].join(''));
const EVAL_LABEL = ['ev', 'al('].join('');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|jsx|html)$/.test(entry.name) ? [path] : [];
  });
}

export function findSinks(text: string): string[] {
  const found = forbidden.filter((sink) => text.includes(sink));
  if (evalCall.test(text)) found.push(EVAL_LABEL);
  return found;
}

describe('dashboard sources', () => {
  const files = [...sourceFiles(sourceRoot), join(dashboardRoot, 'index.html')];

  it('finds the sources it is meant to scan', () => {
    expect(files.some((file) => file.endsWith('app.tsx'))).toBe(true);
    expect(files.length).toBeGreaterThan(10);
  });

  it('use no HTML or code-evaluating sinks', () => {
    const offenders = files.flatMap((file) =>
      findSinks(readFileSync(file, 'utf8')).map((sink) => `${relative(dashboardRoot, file)}: ${sink}`),
    );
    expect(offenders).toEqual([]);
  });

  it('put no expression into href or src attributes', () => {
    const REPORT_LINK =
      /^href=\{((hipaaReportUrl|alertsExportUrl)\('(pdf|html|csv|json)', period\)|(incidentReportUrl|timelineExportUrl)\(subject, id, '(pdf|html|csv|json)'\))\}$/;
    // Links are in-app fragments only: href={hashFor(page)} from the fixed page list, or
    // href={hashForAlert(id)} / href={hashForIncident(id)} / href={hashForAgent(id)}, which always
    // start '#/alerts/' / '#/incidents/' / '#/fleet/' and URI-encode the id, or
    // href={auditExportHref(filter, 'csv')}, which always starts '/api/v1/audit/export?' and
    // builds its query with URLSearchParams, or the report links of reports/report-links.ts,
    // which always start '/api/v1/reports/', URI-encode the id and use URLSearchParams.
    const offenders = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const uses = text.match(/\b(href|src|srcSet|action|formAction)=\{[^}]*\}/g) ?? [];
      return uses
        .filter(
          (use) =>
            !/^href=\{(hashFor\((\w+|'\w+')\)|hashFor(Alert|Incident|Agent)\([\w.]+\)|auditExportHref\(\w+, '(csv|ndjson)'\))\}$/.test(
              use,
            ) && !REPORT_LINK.test(use),
        )
        .map((use) => `${relative(dashboardRoot, file)}: ${use}`);
    });
    expect(offenders).toEqual([]);
  });

  it('detects each sink it looks for', () => {
    for (const sink of forbidden) expect(findSinks(`x.${sink}`)).toContain(sink);
    expect(findSinks(['window.ev', 'al ("1")'].join(''))).toContain(EVAL_LABEL);
    expect(findSinks('const medieval = 1; retrieval(x)')).toEqual([]);
  });
});
