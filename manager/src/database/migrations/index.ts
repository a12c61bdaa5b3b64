import { InitialSchema1763848800000 } from './1763848800000-initial-schema';

/** Every migration, oldest first. */
export const migrations = [InitialSchema1763848800000];
