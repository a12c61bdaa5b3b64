// Every API route needs a signed-in user unless marked @Public(); @AdminOnly() routes need the admin role.
import { CanActivate, ExecutionContext, ForbiddenException, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { readCookie, SESSION_COOKIE, type AuthedRequest } from '../http/request-context';
import { AuthService } from './auth.service';

const PUBLIC = 'ww:public';
const ADMIN = 'ww:admin';
export const Public = () => SetMetadata(PUBLIC, true);
export const AdminOnly = () => SetMetadata(ADMIN, true);

@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const token = readCookie(req, SESSION_COOKIE);
    const user = token ? await this.auth.userForToken(token) : undefined;
    if (!user) throw new UnauthorizedException('sign in first');
    req.user = user;
    if (this.reflector.getAllAndOverride<boolean>(ADMIN, targets) && user.role !== 'admin') throw new ForbiddenException('admins only');
    return true;
  }
}
