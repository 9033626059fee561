// Pure rendering of the service/ templates: template text + values -> unit file text. No I/O here.

/** The launchd label and the systemd unit name, as the service files and the CLI use them. */
export const serviceNames = {
  launchdLabel: 'io.openparachute.supervisor',
  plistFile: 'io.openparachute.supervisor.plist',
  systemdUnit: 'parachute-supervisor.service',
} as const;

/** What a rendered service file needs to know; every path is absolute. */
export interface ServiceValues {
  /** The node executable that runs the supervisor (launchd and systemd do not search PATH for it). */
  nodePath: string;
  /** The built CLI entry, dist/src/cli/main.js. */
  mainPath: string;
  /** config.yaml, passed to the daemon as PARACHUTE_CONFIG. */
  configPath: string;
  /** The user's home folder: the daemon's working directory. */
  home: string;
  /** Where launchd appends the daemon's stdout and stderr (macOS only; systemd uses the journal). */
  logDir: string;
  /** PATH for the daemon and the server it starts (colon-separated absolute folders). */
  pathEnv: string;
}

/** Renders the LaunchAgent plist template; every value is XML-escaped. */
export function renderLaunchAgent(template: string, values: ServiceValues): string {
  checkValues(values);
  return fillTemplate(template, {
    node: xmlEscape(values.nodePath),
    main: xmlEscape(values.mainPath),
    home: xmlEscape(values.home),
    config: xmlEscape(values.configPath),
    path: xmlEscape(values.pathEnv),
    log_dir: xmlEscape(values.logDir.replace(/\/+$/, '')),
  });
}

/** Renders the systemd user-unit template; ExecStart arguments and Environment assignments are systemd-quoted. */
export function renderSystemdUnit(template: string, values: ServiceValues): string {
  checkValues(values);
  return fillTemplate(template, {
    exec_start: [values.nodePath, values.mainPath, 'serve'].map(systemdExecArg).join(' '),
    env_config: systemdEnvironment('PARACHUTE_CONFIG', values.configPath),
    env_path: systemdEnvironment('PATH', values.pathEnv),
  });
}

/**
 * Replaces every `{{name}}` in `template` with `slots[name]` (already escaped for the file's syntax).
 * Throws when the template names a slot that has no value or a value fills no slot, so template and renderer
 * cannot drift apart silently.
 */
export function fillTemplate(template: string, slots: Record<string, string>): string {
  const used = new Set<string>();
  const text = template.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_match, name: string) => {
    const value = slots[name];
    if (value === undefined) throw new Error(`service template has a placeholder {{${name}}} with no value`);
    used.add(name);
    return value;
  });
  const unused = Object.keys(slots).filter((name) => !used.has(name));
  if (unused.length > 0) throw new Error(`service template has no placeholder for ${unused.map((n) => `{{${n}}}`).join(', ')}`);
  return text;
}

/** Escapes text for an XML element or attribute value. */
export function xmlEscape(text: string): string {
  rejectControlCharacters(text);
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * Quotes one ExecStart argument: double quotes with C escapes for `\` and `"`, `%%` so systemd does not expand
 * specifiers, `$$` so it does not substitute environment variables.
 */
export function systemdExecArg(arg: string): string {
  rejectControlCharacters(arg);
  const escaped = arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return `"${escaped}"`;
}

/** Quotes one Environment= assignment, `"NAME=value"` (specifiers escaped; Environment= does not expand `$`). */
export function systemdEnvironment(name: string, value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid environment variable name ${JSON.stringify(name)}`);
  rejectControlCharacters(value);
  const escaped = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%');
  return `"${name}=${escaped}"`;
}

// Unit files are line-based and XML 1.0 forbids most control characters: such a value cannot be written safely.
function rejectControlCharacters(text: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) {
    throw new Error(`a service file value cannot contain control characters or line breaks: ${JSON.stringify(text)}`);
  }
}

function checkValues(values: ServiceValues): void {
  const paths: [string, string][] = [
    ['nodePath', values.nodePath],
    ['mainPath', values.mainPath],
    ['configPath', values.configPath],
    ['home', values.home],
    ['logDir', values.logDir],
  ];
  for (const [name, path] of paths) {
    if (!path.startsWith('/')) throw new Error(`${name} must be an absolute path, got ${JSON.stringify(path)}`);
  }
  for (const folder of values.pathEnv.split(':')) {
    if (!folder.startsWith('/')) throw new Error(`pathEnv must list absolute folders, got ${JSON.stringify(values.pathEnv)}`);
  }
}
