import { describe, expect, it } from 'vitest';
import {
  agentIdFromHash,
  alertIdFromHash,
  hashFor,
  hashForAgent,
  hashForAlert,
  hashForIncident,
  incidentIdFromHash,
  pageFromHash,
  pagesFor,
} from './route';

describe('pageFromHash', () => {
  it('reads the page from the hash and falls back to the overview', () => {
    expect(pageFromHash('#/events')).toBe('events');
    expect(pageFromHash('#alerts')).toBe('alerts');
    expect(pageFromHash('#/events?x=1')).toBe('events');
    expect(pageFromHash('')).toBe('overview');
    expect(pageFromHash('#/fleet')).toBe('fleet');
    expect(pageFromHash('#/javascript:alert(1)')).toBe('overview');
    expect(pageFromHash(hashFor('alerts'))).toBe('alerts');
    expect(pageFromHash('#/integrations')).toBe('integrations');
  });
});

describe('pagesFor', () => {
  it('shows re-identification only to "reidentify", users only to "users:manage", playbooks only to "playbooks:manage", integrations only to "integrations:manage"', () => {
    expect(pagesFor('analyst')).toEqual([
      'overview',
      'fleet',
      'events',
      'alerts',
      'incidents',
      'approvals',
      'actions',
      'policies',
      'reports',
    ]);
    expect(pagesFor('admin')).toEqual([
      'overview',
      'fleet',
      'events',
      'alerts',
      'incidents',
      'approvals',
      'actions',
      'playbooks',
      'policies',
      'users',
      'audit',
      'integrations',
      'reports',
    ]);
    expect(pagesFor('privacy_officer')).toEqual([
      'overview',
      'fleet',
      'events',
      'alerts',
      'incidents',
      'approvals',
      'actions',
      'privacy',
      'audit',
      'reports',
    ]);
    expect(pagesFor('it_staff')).toEqual([
      'overview',
      'fleet',
      'events',
      'alerts',
      'incidents',
      'approvals',
      'actions',
    ]);
  });
});

describe('alertIdFromHash', () => {
  it('reads the alert of "#/alerts/<id>" and round-trips odd ids', () => {
    expect(alertIdFromHash('#/alerts/3f2a-11')).toBe('3f2a-11');
    expect(pageFromHash('#/alerts/3f2a-11')).toBe('alerts');
    expect(alertIdFromHash(hashForAlert('a/b?c'))).toBe('a/b?c');
    expect(hashForAlert('javascript:alert(1)')).toBe('#/alerts/javascript%3Aalert(1)'); // a fragment, never a scheme
    expect(alertIdFromHash('#/alerts')).toBeUndefined();
    expect(alertIdFromHash('#/alerts/')).toBeUndefined();
    expect(alertIdFromHash('#/events/x')).toBeUndefined();
    expect(alertIdFromHash('#/alerts/%E0%A4%A')).toBeUndefined();
    expect(alertIdFromHash(`#/alerts/${'x'.repeat(65)}`)).toBeUndefined();
  });
});

describe('incidentIdFromHash', () => {
  it('reads the incident of "#/incidents/<id>" and nothing else', () => {
    const id = '0f8c2d1e-7a3b-4c5d-9e6f-112233445566';
    expect(incidentIdFromHash(hashForIncident(id))).toBe(id);
    expect(pageFromHash(hashForIncident(id))).toBe('incidents');
    expect(incidentIdFromHash('#/incidents')).toBeUndefined();
    expect(incidentIdFromHash(`#/alerts/${id}`)).toBeUndefined();
    expect(alertIdFromHash(hashForIncident(id))).toBeUndefined();
  });
});

describe('agentIdFromHash', () => {
  it('reads the workstation of "#/fleet/<id>" and nothing else', () => {
    const id = '0f8c2d1e-7a3b-4c5d-9e6f-112233445566';
    expect(agentIdFromHash(hashForAgent(id))).toBe(id);
    expect(pageFromHash(hashForAgent(id))).toBe('fleet');
    expect(agentIdFromHash('#/fleet')).toBeUndefined();
    expect(agentIdFromHash(`#/alerts/${id}`)).toBeUndefined();
    expect(hashForAgent('<b>')).toBe('#/fleet/%3Cb%3E');
  });
});
