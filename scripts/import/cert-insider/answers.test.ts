import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDetails, answerKey, datasetFromFolder, loadAnswers, normaliseDataset } from './answers';
import { tempFolders } from '../../lib/script-test.fixture';

const tempFolder = tempFolders();
const fixtureAnswers = join(__dirname, 'fixtures', 'answers');

async function answersFolder(insiders: string, details: Record<string, string> = {}): Promise<string> {
  const dir = await tempFolder('cert-answers');
  await writeFile(join(dir, 'insiders.csv'), insiders);
  for (const [path, text] of Object.entries(details)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

describe('loadAnswers', () => {
  it('labels (table, id) pairs of the chosen dataset only (the fixture answers)', async () => {
    const answers = await loadAnswers(fixtureAnswers, '4.2');
    expect(answers.insiders).toBe(1);
    expect(answers.missingFiles).toEqual([]);
    expect(answers.badLines).toBe(0);
    expect(answers.labels.size).toBe(7);
    expect(answers.labels.get(answerKey('device', '{D2B0-W4E6Y8UI-0001PLMK}'))).toBe('cert_scenario_1');
    // The same id in logon.csv is another row: not labelled.
    expect(answers.labels.get(answerKey('logon', '{D2B0-W4E6Y8UI-0001PLMK}'))).toBeUndefined();
    expect(answers.labels.get(answerKey('email', '{H4D1-N3M4Q5WE-2201SXED}'))).toBe('cert_scenario_1');
    // 6.2's insider is not 4.2's.
    expect(answers.labels.get(answerKey('file', '{K8H1-M9N1B3VC-6601LKJH}'))).toBeUndefined();
    const r62 = await loadAnswers(fixtureAnswers, '6.2');
    expect(r62.labels.get(answerKey('file', '{K8H1-M9N1B3VC-6601LKJH}'))).toBe('cert_scenario_2');
  });

  it('names a details file that is missing and goes on', async () => {
    const dir = await answersFolder('dataset,scenario,details,user,start,end\n4.2,1,a.csv,U1,,\n4.2,2,b.csv,U2,,\n', {
      'r4.2-2/b.csv': 'logon,{x},01/04/2010 07:00:00,U2,PC-1,Logon\n',
    });
    const answers = await loadAnswers(dir, '4.2');
    expect(answers.insiders).toBe(2);
    expect(answers.missingFiles).toEqual([join(dir, 'r4.2-1', 'a.csv')]);
    expect([...answers.labels.values()]).toEqual(['cert_scenario_2']);
  });

  it('does not follow a details name out of the answers folder, nor take a scenario that is not a number', async () => {
    const dir = await answersFolder(
      'dataset,scenario,details,user,start,end\n4.2,1,../../secret.csv,U1,,\n4.2,1,..\\x.csv,U1,,\n4.2,x,c.csv,U1,,\n4.2,1,d.csv,U1,,\n',
      { 'r4.2-1/d.csv': 'http,{h},01/04/2010 07:00:00,U1,PC-1,http://a.example/,x\n' },
    );
    const answers = await loadAnswers(dir, '4.2');
    expect(answers.badLines).toBe(3);
    expect(answers.insiders).toBe(1);
    expect(answers.missingFiles).toEqual([]);
  });

  it('rejects a dataset insiders.csv does not list, saying which it does', async () => {
    await expect(loadAnswers(fixtureAnswers, '3.1')).rejects.toThrow(
      /no insider of dataset 3\.1 \(it lists 4\.2, 5\.2, 6\.2\)/,
    );
  });

  it('rejects an insiders.csv without the columns it needs', async () => {
    const dir = await answersFolder('dataset,user\n4.2,U1\n');
    await expect(loadAnswers(dir, '4.2')).rejects.toThrow(/no scenario, details column/);
  });
});

describe('addDetails', () => {
  it('takes table and id even from a line whose content is not valid CSV, and counts lines that are not `table,id`', () => {
    const labels = new Map<string, string>();
    const bad = addDetails(
      'email,{e1},01/04/2010 07:00:00,U1,PC-1,a@x,,,b@x,10,0,"broken quote\r\nLOGON,{l1},x\n\nweb,{w1},x\nfile,,x\n',
      'cert_scenario_3',
      labels,
    );
    expect(bad).toBe(2);
    expect([...labels.keys()]).toEqual([answerKey('email', '{e1}'), answerKey('logon', '{l1}')]);
  });

  it('keeps the first label of a row listed twice', () => {
    const labels = new Map<string, string>();
    addDetails('logon,{l1},x\n', 'cert_scenario_1', labels);
    addDetails('logon,{l1},x\n', 'cert_scenario_2', labels);
    expect(labels.get(answerKey('logon', '{l1}'))).toBe('cert_scenario_1');
  });
});

describe('dataset names', () => {
  it('come from a release folder named like r4.2, and --dataset takes 4.2 or r4.2', () => {
    expect(datasetFromFolder('/data/cert/r4.2')).toBe('4.2');
    expect(datasetFromFolder('/data/cert/R6.2/')).toBe('6.2');
    expect(datasetFromFolder('/data/cert/r1')).toBe('1');
    expect(datasetFromFolder('/data/cert/release-4.2')).toBeUndefined();
    expect(normaliseDataset(' r4.2 ')).toBe('4.2');
  });
});
