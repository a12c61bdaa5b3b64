// A fast, stable, non-cryptographic hash of a string (FNV-1a over its UTF-16 code units):
// for spreading keys and seeding, never where an attacker choosing the input matters.

/** FNV-1a of the string's UTF-16 code units, as an unsigned 32-bit integer. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
