export * from './policy-document.schema';
export * from './policy-api.schema';
export * from './default-policy';
export * from './policy-tiers.schema';
