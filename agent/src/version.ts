// The agent's version, read from its package.json (one source), which sits one
// folder above both src/ (tests) and dist/ (the build).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function readAgentVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
