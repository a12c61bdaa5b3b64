import { describe, expect, it } from 'vitest';
import { ownRecord, ownValue } from './own-record';

describe('own records', () => {
  it("keeps names of Object's properties as ordinary keys, through JSON too", () => {
    const record = ownRecord<number[]>();
    for (const name of ['__proto__', 'constructor', 'toString', 'nurse']) (record[name] ??= []).push(name.length);
    expect(Object.keys(record).sort()).toEqual(['__proto__', 'constructor', 'nurse', 'toString']);
    const read = JSON.parse(JSON.stringify(record)) as Record<string, number[]>;
    expect(ownValue(read, '__proto__')).toEqual([9]);
    expect(ownValue(read, 'constructor')).toEqual([11]);
    expect(ownValue(read, 'hasOwnProperty')).toBeUndefined();
    expect(ownValue<number>({}, 'valueOf')).toBeUndefined();
    expect(ownValue(read, undefined)).toBeUndefined();
    expect(ownValue(undefined, 'nurse')).toBeUndefined();
  });
});
