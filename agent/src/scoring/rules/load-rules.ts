// Loads rule files (*.yaml / *.yml) from a folder, validating each with zod and
// compiling it once, so that a broken file is named with its problem at start-up
// instead of failing later on an event.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { RuleFile } from './rule.schema';
import { RuleEngine } from './rule-engine';

export class RuleLoadError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`rule file ${file}: ${problem}`);
  }
}

export function parseRuleText(text: string, file = '(text)'): RuleFile {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new RuleLoadError(file, `not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const result = RuleFile.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new RuleLoadError(file, problems.join('; '));
  }
  try {
    new RuleEngine([result.data]);
  } catch (error) {
    throw new RuleLoadError(file, (error as Error).message);
  }
  return result.data;
}

export async function loadRules(folder: string): Promise<RuleFile[]> {
  const names = (await readdir(folder)).filter((name) => /\.ya?ml$/.test(name)).sort();
  const rules: RuleFile[] = [];
  const ids = new Set<string>();
  for (const name of names) {
    const rule = parseRuleText(await readFile(join(folder, name), 'utf8'), name);
    if (ids.has(rule.id)) throw new RuleLoadError(name, `duplicate rule id ${rule.id}`);
    ids.add(rule.id);
    rules.push(rule);
  }
  return rules;
}

/** The rules shipped with the agent: agent/rules, found from src/ or dist/. */
export const DEFAULT_RULES_DIR = join(__dirname, '..', '..', '..', 'rules');
