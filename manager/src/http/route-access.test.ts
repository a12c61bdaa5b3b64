import { Reflector } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { AdminOnly, AnySignedInUser, Public, RequirePermission, routeAccessOf } from './route-access';

@RequirePermission('audit:read')
class AuditLike {
  list(): void {}
  @RequirePermission('users:manage')
  narrower(): void {}
  @Public()
  alsoPublic(): void {}
}

class Plain {
  @Public()
  health(): void {}
  @AnySignedInUser()
  me(): void {}
  @AdminOnly()
  revoke(): void {}
  forgotten(): void {}
  @Public()
  @RequirePermission('events:read')
  both(): void {}
}

const access = (controller: typeof AuditLike | typeof Plain, name: string) =>
  routeAccessOf(new Reflector(), (controller.prototype as unknown as Record<string, () => void>)[name], controller);

describe('routeAccessOf', () => {
  it("reads the method's declaration, else its controller's", () => {
    expect(access(AuditLike, 'list')).toEqual({ kind: 'permission', permission: 'audit:read' });
    expect(access(AuditLike, 'narrower')).toEqual({ kind: 'permission', permission: 'users:manage' });
    expect(access(Plain, 'health')).toEqual({ kind: 'public' });
    expect(access(Plain, 'me')).toEqual({ kind: 'signed-in' });
    expect(access(Plain, 'revoke')).toEqual({ kind: 'permission', permission: 'agents:manage' });
  });

  it('calls a route with no declaration, or with two kinds at once, undeclared (the guard refuses it)', () => {
    expect(access(Plain, 'forgotten')).toEqual({ kind: 'undeclared' });
    expect(access(Plain, 'both')).toEqual({ kind: 'undeclared' });
    // A public method under a controller that needs a permission is ambiguous too.
    expect(access(AuditLike, 'alsoPublic')).toEqual({ kind: 'undeclared' });
  });
});
