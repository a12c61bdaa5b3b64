// Generates TypeScript from the .proto contract with ts-proto, offline, from npm packages only.
// The generated code is never edited or committed: change the .proto and run `npm run gen`.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const protoDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const buf = require.resolve('@bufbuild/buf/bin/buf');
const plugin = require.resolve('ts-proto/protoc-gen-ts_proto');
const out = join(protoDir, 'src', 'gen');

const template = {
  version: 'v2',
  plugins: [
    {
      local: plugin,
      out,
      opt: [
        'outputServices=grpc-js',
        'esModuleInterop=true',
        'env=node',
        'forceLong=number',
        'oneof=unions-value',
        'enumsAsLiterals=true',
        'useOptionals=messages',
        'outputIndex=false',
      ],
    },
  ],
};

rmSync(out, { recursive: true, force: true });
execFileSync(buf, ['generate', '--template', JSON.stringify(template)], { cwd: protoDir, stdio: 'inherit' });
console.log(`generated ${out}`);
