import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFleet } from '../test/support/fleet';
async function main() {
const fleet = await startFleet({});
await fleet.agent.waitForLog((l) => l.msg === 'scoring ready', 60_000).catch(() => undefined);
const folder = join(fleet.phiFolder, 'run');
mkdirSync(folder);
for (let i = 0; i < 100; i++) writeFileSync(join(folder, `chart-${i}.docx`), 'Patient notes. '.repeat(200));
await sleep(1500);
const b = spawn(process.execPath, ['scripts/bench/ransomware/benign-load.mjs', '--folder', join(fleet.phiFolder, 'staff'), '--every-ms', '40'], { stdio: 'ignore' });
b.on('exit', (code, signal) => console.log('benign exit', code, signal));
const a = spawn(process.execPath, ['scripts/bench/ransomware/ransomware-sim.mjs', '--folder', folder, '--log', '/tmp/dbg/a.ndjson', '--pause-ms', '20'], { stdio: 'inherit' });
const exit = await new Promise((r) => a.on('exit', (code, signal) => r({ code, signal })));
console.log('attacker exit', exit);
await sleep(3000);
b.kill();
for (const l of fleet.agent.output) if (/command|response|critical|kill|refus/i.test(l)) console.log('A', l.slice(0, 400));
await fleet.stop();

}
void main();
