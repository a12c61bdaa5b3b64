// Users and roles arrive in events, so their names are anyone's: named like Object's own
// properties they must train and score as any other name.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FEATURE_COUNT, FEATURE_INDEX } from '@wardwatch/shared';
import { fitRiskModel, loadRiskModel } from './fit-risk-model';
import { dayWindow } from '../features/day-window.fixture';
import { scoringConfig } from '../../config/scoring-config';

const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
const folders: string[] = [];
afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

function day(user: string, role: string, d: number, copies: number) {
  const values = new Float64Array(FEATURE_COUNT);
  values[FEATURE_INDEX.logons] = 1 + (d % 3);
  values[FEATURE_INDEX.phi_copies_elsewhere] = copies;
  return dayWindow(user, d, values, { role });
}

describe('hostile user and role names', () => {
  it('trains, scores and reloads users and roles named like Object properties', async () => {
    const history = [];
    for (let d = 0; d < 30; d++)
      for (let u = 0; u < 80; u++) {
        const user = u < NAMES.length ? NAMES[u] : `u${u}`;
        history.push(day(user, NAMES[u % NAMES.length], d, (u + d) % 7 === 0 ? 2 : 0));
      }
    const folder = await mkdtemp(join(tmpdir(), 'ww-names-'));
    folders.push(folder);
    const config = scoringConfig();
    const model = await fitRiskModel(history, { folder, config, withoutModel: true });
    const reloaded = await loadRiskModel(folder, config);
    for (const m of [model, reloaded])
      for (const name of [...NAMES, 'valueOf'])
        for (const role of [...NAMES, 'valueOf']) {
          const usual = m.score(day(name, role, 31, 0));
          const heavy = m.score(day(name, role, 31, 40));
          expect(Number.isFinite(usual.score) && Number.isFinite(heavy.score)).toBe(true);
          expect(heavy.score).toBeGreaterThan(usual.score);
        }
    // A role the fit saw has its own baseline, under any name.
    expect(reloaded.anomaly(day('newcomer', 'constructor', 31, 0)).source).toBe('peer');
  });
});
