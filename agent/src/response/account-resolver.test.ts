import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Pseudonymizer } from '../pseudonymize/pseudonymizer';
import { parsePasswd, PasswdAccountResolver } from './account-resolver';
import { tempDataDir } from './response-test-kit.fixture';

describe('PasswdAccountResolver', () => {
  it("matches the pipeline's keyed pseudonym of each local account", async () => {
    const passwd = join(tempDataDir(), 'passwd');
    writeFileSync(
      passwd,
      '# local\nroot:x:0:0:root:/root:/bin/bash\nnurse1:x:1001:1001::/home/nurse1:/bin/sh\nbroken\n',
    );
    const pseudonyms = new Pseudonymizer(Buffer.alloc(32, 9));
    const resolver = new PasswdAccountResolver(
      (names) => pseudonyms.completed(() => names.map((n) => pseudonyms.user(n))),
      passwd,
    );
    expect(await resolver.resolve(pseudonyms.user('nurse1'))).toEqual({ name: 'nurse1', uid: 1001 });
    // OS accounts keep their name in the pipeline, so the clear name matches them.
    expect(await resolver.resolve(pseudonyms.user('root'))).toEqual({ name: 'root', uid: 0 });
    expect(await resolver.resolve(new Pseudonymizer(Buffer.alloc(32, 1)).user('nurse1'))).toBeNull();
    expect(await resolver.resolve('')).toBeNull();
    const identity = (names: readonly string[]) => Promise.resolve([...names]);
    expect(await new PasswdAccountResolver(identity, '/nonexistent').resolve('root')).toBeNull();
  });

  it('parses /etc/passwd lines, skipping comments and malformed ones', () => {
    expect(parsePasswd('a:x:1:1::/:/bin/sh\n#b:x:2\nc:x:notanumber\n\n')).toEqual([{ name: 'a', uid: 1 }]);
  });
});
