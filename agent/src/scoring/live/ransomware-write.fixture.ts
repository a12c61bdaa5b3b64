// One encrypted-looking file created in a patient-data folder by nurse.jones: the event the
// ransomware rule counts. Shared by the scoring tests and the OPRF test kit.
import { Severity, type Event } from '@wardwatch/proto';

export function ransomwareWrite(i: number, path: string, time: number): Event {
  return {
    id: `f${i}`,
    timeMs: time,
    sequence: 0,
    severity: Severity.SEVERITY_LOW,
    user: 'nurse.jones',
    detail: {
      $case: 'file',
      value: {
        action: 'create',
        path,
        previousPath: '',
        folderClass: 'phi',
        extension: 'locked',
        depth: 1,
        sizeBytes: 8_192,
        entropy: 7.98,
        owner: 'nurse.jones',
        process: '',
        pid: 0,
      },
    },
  };
}
