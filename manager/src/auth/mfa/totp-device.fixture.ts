// An authenticator app for tests: computes codes from the base32 secret with the real
// TOTP code, a new time step for each code (the manager refuses a step twice), waiting
// for the clock when the next unused step is not yet inside the ±1 window.
import { base32Decode } from './base32';
import { hotp, TOTP_STEP_SECONDS, TOTP_WINDOW, totpStep } from './totp';

export class TotpDevice {
  private readonly key: Buffer;
  private lastStep = -Infinity;

  constructor(secretBase32: string) {
    const key = base32Decode(secretBase32);
    if (!key || key.length === 0) throw new Error('not a base32 secret');
    this.key = key;
  }

  /** The code of the earliest step the manager still accepts and this device has not used. */
  async nextCode(): Promise<string> {
    for (;;) {
      const current = totpStep(Date.now());
      const step = Math.max(this.lastStep + 1, current - TOTP_WINDOW + 1);
      if (step <= current + TOTP_WINDOW) {
        this.lastStep = step;
        return hotp(this.key, step);
      }
      const nextStepAt = (current + 1) * TOTP_STEP_SECONDS * 1_000;
      await new Promise((resolve) => setTimeout(resolve, nextStepAt - Date.now() + 50));
    }
  }

  /** A code of a step already used: what an eavesdropper would replay. */
  lastCode(): string {
    return hotp(this.key, this.lastStep);
  }
}
