export const MANAGER_VERSION = '0.1.0';
