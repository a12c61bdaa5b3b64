// The clock and randomness behind small injectable classes, so services are tested without real time.
import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';

@Injectable()
export class Clock {
  now(): number {
    return Date.now();
  }
}

@Injectable()
export class RandomSource {
  bytes(size: number): Buffer {
    return randomBytes(size);
  }
  token(prefix: string): string {
    return `${prefix}${randomBytes(32).toString('base64url')}`;
  }
  uuid(): string {
    return randomUUID();
  }
}
