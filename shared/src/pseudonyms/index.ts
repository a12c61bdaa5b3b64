// Imported as `@wardwatch/shared/pseudonyms` (not from the package root): it
// needs node:crypto, and the dashboard bundles the root for the browser.
export * from './canonical-form';
export * from './extensions';
export * from './pseudonym-token';
export * from './token-format';
export * from './clear-values';
export * from './pseudonym-of';
export * from './token-fields';
export * from './oprf-token';
