// Webhook signatures: HMAC-SHA-256 under the destination's secret over `<timestamp>.<body>`,
// sent as `X-WardWatch-Timestamp: <unix seconds>` and `X-WardWatch-Signature: v1=<hex>`.
// The timestamp is signed so a receiver can refuse replays older than a few minutes.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function sign(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signatureHeaders(secret: string, timestamp: number, body: string): Record<string, string> {
  return { 'x-wardwatch-timestamp': String(timestamp), 'x-wardwatch-signature': `v1=${sign(secret, timestamp, body)}` };
}

/** What a receiver does: the signature matches and the timestamp is within `toleranceSeconds` of now. */
export function verifySignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const given = Buffer.from(headers.signature?.replace(/^v1=/, '') ?? '', 'hex');
  const expected = Buffer.from(sign(secret, timestamp, body), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
