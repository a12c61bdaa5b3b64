import { describe, expect, it } from 'vitest';
import { addedFolderBound } from './file-watch-source';

describe('addedFolderBound', () => {
  it("leaves half of the OS's watches to the configured folders", () => {
    expect(addedFolderBound(() => '8192\n')).toBe(4_096);
    expect(addedFolderBound(() => '1')).toBe(1);
  });

  it('takes 10,000 where the limit cannot be read or makes no sense', () => {
    expect(
      addedFolderBound(() => {
        throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      }),
    ).toBe(10_000);
    expect(addedFolderBound(() => 'unlimited')).toBe(10_000);
    expect(addedFolderBound(() => '0')).toBe(10_000);
  });
});
