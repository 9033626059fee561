// The allowed arrows between the folders (README, "Architecture"), checked by `npm run lint`:
//
//   machines/  <-  src/actors/ (the door)  <-  src/http/ (routes)  <-  src/supervisor.ts  <-  src/cli/serve.ts
//   machines/  <-  src/system.ts (provides every effect)  ->  src/lifecycle/, src/config/, src/models/ …
//   src/cli/ (client commands) -> src/client/  <-  src/ui/app/
//
// A wrong import fails lint with the name of the rule it breaks. test/unit/layering.test.ts breaks each rule on
// purpose and checks that it is reported, and that the real tree breaks none.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only imports included: every file can be read (and loaded) after what it imports.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'machines-import-only-xstate',
      comment:
        'machines/ holds pure statecharts: they import xstate and each other, nothing else (no node:*, no src/). ' +
        'Effects are slots that src/system.ts fills with .provide().',
      severity: 'error',
      from: { path: '^machines/' },
      to: { pathNot: ['^machines/', '(^|/)node_modules/xstate/'] },
    },
    {
      name: 'nothing-imports-the-cli',
      comment:
        'src/cli/ is the top: the bin entry (src/cli/main.ts, and serve-main.ts, the daemon bundle entry) leads into ' +
        'it; nothing else in src/ or machines/ imports it.',
      severity: 'error',
      from: { path: '^(src|machines)/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'ui-app-imports-only-the-client',
      comment:
        'The web pages (src/ui/app/, bundled for the browser) talk to the daemon over HTTP through the typed client ' +
        '(src/client/) and import nothing else of ours, nor any node:* module; npm packages are allowed.',
      severity: 'error',
      from: { path: '^src/ui/app/' },
      to: { pathNot: ['^src/ui/app/', '^src/client/', '(^|/)node_modules/'] },
    },
    {
      name: 'client-stands-alone',
      comment:
        'The typed client (src/client/) is shared by the CLI, the web pages and the tests: it imports nothing of the ' +
        'daemon (only the defaults object, for the default port and host).',
      severity: 'error',
      from: { path: '^src/client/' },
      to: { path: '^(src|machines)/', pathNot: ['^src/client/', '^src/config/defaults\\.ts$'] },
    },
    {
      name: 'routes-and-cli-use-the-door',
      comment:
        'Routes and the CLI talk to the actors only through src/actors/ (commands, requests, state): they import ' +
        'neither xstate nor machines/ nor the process effects in src/lifecycle/.',
      severity: 'error',
      from: { path: '^src/(http|cli)/' },
      to: { path: ['^machines/', '^src/lifecycle/', '(^|/)node_modules/xstate/'] },
    },
    {
      name: 'routes-are-given-the-system',
      comment: 'src/supervisor.ts builds the system and hands the routes what they need; src/http/ never imports it back.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: ['^src/system\\.ts$', '^src/supervisor\\.ts$'] },
    },
    {
      name: 'lifecycle-is-wired-by-the-system',
      comment:
        "src/lifecycle/ holds the server's process effects; src/system.ts provides them to the lifecycle machine and " +
        'nothing else in src/ imports them.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/lifecycle/', '^src/system\\.ts$'] },
      to: { path: '^src/lifecycle/' },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    // Type-only imports count: they are arrows a reader follows too (and the cycle rule must see them).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
