// The policy editor's logic, apart from React: the document as the pretty JSON an admin
// edits, its problems by path (the shared schema the manager validates with), and one
// line per tier for reading a version without its JSON.
import { PolicyDocument, type PolicyTier } from '@wardwatch/shared';
import { checkJsonText, type CheckedText } from '../common/json-text';

export function documentText(document: PolicyDocument): string {
  return JSON.stringify(document, null, 2);
}

export function checkDocumentText(text: string): CheckedText<PolicyDocument> {
  return checkJsonText(PolicyDocument, text, '(policy)');
}

/** "sealing on (3 folders) · removable blocked · disk encryption required · TLSv1.3+ · idle lock 120 s". */
export function tierSummary(tier: PolicyTier): string {
  const s = tier.settings;
  return [
    s.sealing.enabled ? `sealing on (${s.sealing.folders.length} folders)` : 'sealing off',
    ...(s.sealing.unsealOnDrop ? ['unseals on a drop to it'] : []),
    `removable ${s.removableMedia.replace('_', ' ')}`,
    s.diskEncryptionRequired ? 'disk encryption required' : 'disk encryption optional',
    `${s.managerLink.minTlsVersion}+`,
    s.idleLockSeconds > 0 ? `idle lock ${s.idleLockSeconds} s` : 'no idle lock',
  ].join(' · ');
}
