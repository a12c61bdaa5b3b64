// Records keyed by names that arrive in events (a user, a role). A plain object finds
// "constructor", "toString" or "__proto__" on Object.prototype: a role named so crashed
// training (`byRole[role].push is not a function`) and scored NaN. Records built here
// have no prototype; records read back from JSON are looked up by own keys only.

/** An empty record without a prototype: every key, "__proto__" too, is an own entry. */
export function ownRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** `record[key]` when the record holds it as its own entry, else undefined. */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string | undefined): T | undefined {
  return record !== undefined && key !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
