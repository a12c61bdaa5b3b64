export * from './feature-definitions';
export * from './feature-extractor';
export * from './user-history';
export * from './rarity';
export * from './unit-folders';
export * from './day-boundary';
export * from './sync-folders';
