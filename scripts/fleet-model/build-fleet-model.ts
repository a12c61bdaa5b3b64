// Builds the fleet model the manager hands to agents for their cold start: a
// simulated hospital's benign history (scripts/simulator) through the agent's
// own offline trainer, saved as the files of a risk model. Per-user baselines
// and the autoencoder's per-user usual errors are left out — they describe
// simulated people; the fleet and role baselines,
// the normaliser, the autoencoder and its calibration are what a new
// workstation borrows until it has trained on its own history.
//   npx tsx scripts/fleet-model/build-fleet-model.ts --out .wardwatch/manager/fleet-model [--days 28 --users 60 --seed 7]
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { fitRiskModel } from '../../agent/src/scoring/model/fit-risk-model';
import { DEFAULT_RULES_DIR, loadRules } from '../../agent/src/scoring/rules/load-rules';
import { benignWindows, WindowPipeline } from '../../agent/src/scoring/windows/window-pipeline';
import { scoringConfig } from '../../agent/src/config/scoring-config';
import { STATE_FILE } from '../../agent/src/scoring/model/fit-risk-model';
import { join } from 'node:path';
import { simulate } from '../simulator/simulate';

export interface FleetModelOptions {
  out: string;
  days?: number;
  users?: number;
  seed?: number;
  epochs?: number;
  onProgress?: (text: string) => void;
}

export async function buildFleetModel(options: FleetModelOptions): Promise<{ windows: number; tookMs: number }> {
  const started = Date.now();
  const sim = simulate({
    days: options.days ?? 28,
    users: options.users ?? 60,
    seed: options.seed ?? 7,
    scenarios: [],
  });
  const pipeline = new WindowPipeline(await loadRules(DEFAULT_RULES_DIR));
  for (const event of sim.events) pipeline.observe(event);
  pipeline.flush();
  const windows = benignWindows(pipeline.learned);
  // Written beside the target and moved in one rename, so a running manager never reads half a model.
  const staging = `${options.out}.building`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await fitRiskModel(windows, {
    folder: staging,
    config: scoringConfig(),
    trainer: 'inline',
    autoencoder: options.epochs ? { epochs: options.epochs } : undefined,
    onProgress: (p) => {
      if (p.epoch === p.epochs || p.epoch % 5 === 0)
        options.onProgress?.(`epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)}`);
    },
  });
  const stateFile = join(staging, STATE_FILE);
  const state = JSON.parse(await readFile(stateFile, 'utf8')) as {
    baselines: { users: Record<string, unknown> };
    calibration: { model: { users: Record<string, number> } };
  };
  state.baselines.users = {};
  state.calibration.model.users = {};
  await writeFile(stateFile, JSON.stringify(state));
  await rm(options.out, { recursive: true, force: true });
  await rename(staging, options.out);
  return { windows: windows.length, tookMs: Date.now() - started };
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      days: { type: 'string', default: '28' },
      users: { type: 'string', default: '60' },
      seed: { type: 'string', default: '7' },
      epochs: { type: 'string' },
    },
  });
  if (!values.out) {
    console.error(
      'usage: build-fleet-model.ts --out <manager data folder>/fleet-model [--days 28 --users 60 --seed 7 --epochs 25]',
    );
    process.exit(2);
  }
  buildFleetModel({
    out: values.out,
    days: Number(values.days),
    users: Number(values.users),
    seed: Number(values.seed),
    epochs: values.epochs ? Number(values.epochs) : undefined,
    onProgress: (t) => console.log(t),
  })
    .then(({ windows, tookMs }) =>
      console.log(`fleet model written to ${values.out}: ${windows} benign windows, ${(tookMs / 1000).toFixed(1)} s`),
    )
    .catch((error: unknown) => {
      console.error(`fleet model not built: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
