// The policy a new installation starts with (version 1, seeded on the first start).
// baseline is what every workstation gets; elevated and lockdown are for a workstation
// at risk: patient-data folders sealed, removable media restricted, the screen locked
// sooner. Every value can be edited into a new version.
import type { PolicyDocument, TierSettings } from './policy-document.schema';

/** Folders where exports, scans and downloads with patient data usually land. */
const PATIENT_DATA_FOLDERS = ['~/Downloads', '~/Documents/Exports', '~/Documents/Scans'];

/** Suites of TLS 1.3 (always allowed when 1.3 is the minimum) and the AEAD ECDHE suites of TLS 1.2. */
const STRONG_CIPHERS = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
];

const baseline: TierSettings = {
  sealing: { enabled: false, folders: PATIENT_DATA_FOLDERS, unsealOnDrop: false },
  removableMedia: 'allowed',
  diskEncryptionRequired: true,
  managerLink: { minTlsVersion: 'TLSv1.2', ciphers: STRONG_CIPHERS },
  idleLockSeconds: 900,
};

export const DEFAULT_POLICY: PolicyDocument = {
  tiers: [
    { id: 'baseline', name: 'Baseline', settings: baseline },
    {
      id: 'elevated',
      name: 'Elevated',
      settings: {
        ...baseline,
        sealing: { enabled: true, folders: PATIENT_DATA_FOLDERS, unsealOnDrop: false },
        removableMedia: 'read_only',
        idleLockSeconds: 300,
      },
    },
    {
      id: 'lockdown',
      name: 'Lockdown',
      settings: {
        ...baseline,
        sealing: { enabled: true, folders: PATIENT_DATA_FOLDERS, unsealOnDrop: false },
        removableMedia: 'blocked',
        managerLink: { minTlsVersion: 'TLSv1.3', ciphers: STRONG_CIPHERS.slice(0, 3) },
        idleLockSeconds: 120,
      },
    },
  ],
};
