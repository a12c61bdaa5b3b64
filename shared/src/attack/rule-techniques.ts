// The MITRE ATT&CK techniques behind each detection rule the agent ships
// (agent/rules/*.yaml, their `attack.tNNNN` tags). The manager never reads the
// agent's rule files, so the alert detail and the dashboard take the techniques
// from this table; agent/src/scoring/rules/attack-tags.test.ts fails when a rule's
// tags and this table disagree.

/** One ATT&CK (sub-)technique, as the alert detail shows it. */
export interface AttackTechnique {
  /** e.g. "T1110.001". */
  id: string;
  name: string;
  /** The tactic the rule detects it under (ATT&CK's short name, e.g. "credential-access"). */
  tactic: string;
}

const technique = (id: string, name: string, tactic: string): AttackTechnique => ({ id, name, tactic });

export const ruleTechniques: Readonly<Record<string, readonly AttackTechnique[]>> = {
  'brute-force': [technique('T1110.001', 'Brute Force: Password Guessing', 'credential-access')],
  'credential-dumping': [technique('T1003.001', 'OS Credential Dumping: LSASS Memory', 'credential-access')],
  'encrypted-write-burst': [technique('T1486', 'Data Encrypted for Impact', 'impact')],
  'many-workstations': [technique('T1078', 'Valid Accounts', 'lateral-movement')],
  'mass-copy-removable': [technique('T1052.001', 'Exfiltration over USB', 'exfiltration')],
  'mass-deletion': [technique('T1485', 'Data Destruction', 'impact')],
  'mass-rename': [technique('T1486', 'Data Encrypted for Impact', 'impact')],
  'password-spray': [technique('T1110.003', 'Brute Force: Password Spraying', 'credential-access')],
  'ransomware-burst': [technique('T1486', 'Data Encrypted for Impact', 'impact')],
  'shadow-copy-deletion': [technique('T1490', 'Inhibit System Recovery', 'impact')],
};

/** The techniques of the rules that fired, each once, in the rules' order; unknown rule ids give none. */
export function techniquesOfRules(ruleIds: readonly string[]): { ruleId: string; technique: AttackTechnique }[] {
  const seen = new Set<string>();
  const found: { ruleId: string; technique: AttackTechnique }[] = [];
  for (const ruleId of ruleIds) {
    for (const t of Object.hasOwn(ruleTechniques, ruleId) ? ruleTechniques[ruleId] : []) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      found.push({ ruleId, technique: t });
    }
  }
  return found;
}
