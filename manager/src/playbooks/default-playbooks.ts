// The playbooks a new installation starts with (seeded once, on the first start with
// an empty playbook table; editable like any other, each edit a new version). The
// rule ids are the agent's rules (agent/rules/*.yaml).
import type { PlaybookDefinitionInput } from '@wardwatch/shared';

export const DEFAULT_PLAYBOOKS: readonly { id: string; definition: PlaybookDefinitionInput }[] = [
  {
    id: 'default-ransomware-burst',
    definition: {
      name: 'Ransomware burst',
      description:
        'Encrypted rewrites in a patient-data folder: stop the writers at once and block removable media. No warning: every second costs files.',
      enabled: true,
      rules: [
        {
          name: 'ransomware-burst rule fired',
          when: { ruleIds: ['ransomware-burst'] },
          then: [
            // The agent finds the processes writing in folders of class `phi` now (Score.suspects is not kept by the manager yet).
            { kind: 'kill_process_tree', mode: 'automatic', folderClass: 'phi', warningSeconds: 0 },
            { kind: 'block_removable', mode: 'automatic', durationSeconds: 3_600, warningSeconds: 0 },
          ],
        },
      ],
    },
  },
  {
    id: 'default-usb-exfiltration',
    definition: {
      name: 'Exfiltration to USB',
      description: 'Many files copied to removable media: block removable-media writes once a person approves.',
      enabled: true,
      rules: [
        {
          name: 'mass-copy-removable rule fired',
          when: { ruleIds: ['mass-copy-removable'] },
          then: [{ kind: 'block_removable', mode: 'approve', durationSeconds: 3_600 }],
        },
      ],
    },
  },
  {
    id: 'default-brute-force',
    definition: {
      name: 'Brute force against one account',
      description: 'Repeated failed sign-ins against one account: tell the analysts, do nothing on the workstation.',
      enabled: true,
      rules: [
        {
          name: 'brute-force rule fired',
          when: { ruleIds: ['brute-force'] },
          then: [{ kind: 'notify', mode: 'notify' }],
        },
      ],
    },
  },
  {
    id: 'default-shared-clinical-high',
    definition: {
      name: 'High score on a shared clinical workstation',
      description: 'Lock the screen once a person approves, with a 60 s warning so the clinician can save their work.',
      enabled: true,
      rules: [
        {
          name: 'high or critical alert on a shared-clinical workstation',
          when: { minSeverity: 'high', tagsAnyOf: ['shared-clinical'], alertKinds: ['behaviour'] },
          then: [{ kind: 'lock_screen', mode: 'approve', warningSeconds: 60 }],
        },
      ],
    },
  },
  {
    id: 'default-credential-theft',
    definition: {
      name: 'Credential theft',
      description:
        'Credential dumping or password spraying: disable the account for 4 hours, only with approval (two people).',
      enabled: true,
      rules: [
        {
          name: 'credential-dumping or password-spray rule fired',
          when: { ruleIds: ['credential-dumping', 'password-spray'] },
          then: [{ kind: 'disable_account', mode: 'approve', durationSeconds: 4 * 3_600 }],
        },
      ],
    },
  },
  {
    id: 'default-identity-mismatch',
    definition: {
      name: 'Session unlike its owner',
      description:
        "The behavioural fingerprint doubts the session is its owner's (other workstations, hours, programs): tell the analysts, and lock the screen only once a person approves, with a 60 s warning. A colleague covering a shift looks the same, so never automatic.",
      enabled: true,
      rules: [
        {
          name: 'identity mismatch at least 0.9',
          when: { minIdentityMismatch: 0.9, alertKinds: ['behaviour'] },
          then: [
            { kind: 'notify', mode: 'notify' },
            { kind: 'lock_screen', mode: 'approve', warningSeconds: 60 },
          ],
        },
      ],
    },
  },
];
