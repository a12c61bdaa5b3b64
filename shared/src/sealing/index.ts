// Imported as `@wardwatch/shared/sealing` (not from the package root): it needs
// node:crypto, and the dashboard bundles the root for the browser.
export * from './data-key-wrap';
