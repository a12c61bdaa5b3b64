import { hostname, release } from 'node:os';
import type { HostInfo } from '@wardwatch/proto';

export function currentHostInfo(agentVersion: string): HostInfo {
  return { hostname: hostname(), os: process.platform, osVersion: release(), agentVersion };
}
