import type { CurrentUser } from '@wardwatch/shared';
import type { UserEntity } from './user.entity';

/** What the dashboard is told about the signed-in user. */
export function currentUser(user: Pick<UserEntity, 'username' | 'role' | 'mustChangePassword'>): CurrentUser {
  return user.mustChangePassword
    ? { username: user.username, role: user.role, mustChangePassword: true }
    : { username: user.username, role: user.role };
}
