// The real FileReader: node:fs, UTF-8.
import { readFile } from 'node:fs/promises';
import type { FileReader } from './local-api-client';

export const nodeFileReader: FileReader = {
  readFile: (path) => readFile(path, 'utf8'),
};
