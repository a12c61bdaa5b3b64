// Checked by `npm run lint`: no import cycle anywhere, and one direction of dependency between the
// parts (ARCHITECTURE.md): proto and shared depend on nothing of ours; agent and manager depend on
// them and never on each other; the tray reaches the agent only through its local API (shared).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycle', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'contract-and-shared-stand-alone',
      severity: 'error',
      from: { path: '^(proto|shared)/' },
      to: { path: '^(agent|manager|scripts|test)/' },
    },
    { name: 'agent-not-manager', severity: 'error', from: { path: '^agent/' }, to: { path: '^manager/' } },
    { name: 'manager-not-agent', severity: 'error', from: { path: '^manager/' }, to: { path: '^agent/' } },
    {
      name: 'tray-only-through-local-api',
      severity: 'error',
      // A browser test may start the agent's real local API server to talk to it over HTTP.
      from: { path: '^agent/tray/', pathNot: '\\.browser\\.test\\.ts$' },
      to: { path: '^agent/src/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|coverage)/|^proto/src/gen/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.check.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
