// Just enough DER (ITU-T X.690) to write a PKCS#10 certificate request: the agent
// makes one at enrollment and renewal, and a full ASN.1/X.509 library would stay
// in its memory for the rest of its life (~7 MB) for those two moments.

/** One DER element: tag, definite length, content. */
export function derElement(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export const derSequence = (...items: Buffer[]) => derElement(0x30, Buffer.concat(items));
export const derSet = (...items: Buffer[]) => derElement(0x31, Buffer.concat(items));
export const derUtf8 = (text: string) => derElement(0x0c, Buffer.from(text, 'utf8'));
/** A BIT STRING of whole bytes (no unused bits). */
export const derBits = (bytes: Buffer) => derElement(0x03, Buffer.concat([Buffer.from([0]), bytes]));
/** A small non-negative INTEGER. */
export const derSmallInteger = (value: number) => derElement(0x02, Buffer.from([value]));

/** An OBJECT IDENTIFIER from its dotted form. */
export function derOid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const groups: number[] = [];
    for (let value = arc; ; value = Math.floor(value / 128)) {
      groups.unshift(value % 128);
      if (value < 128) break;
    }
    bytes.push(...groups.map((group, i) => (i < groups.length - 1 ? group | 0x80 : group)));
  }
  return derElement(0x06, Buffer.from(bytes));
}

/** PEM armour for DER bytes, 64 characters a line. */
export function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
