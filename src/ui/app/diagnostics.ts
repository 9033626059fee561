// "Copy diagnostics": what a bug report needs in one text (status, recent history with crash log tails, the last
// log lines), redacted. The supervisor already redacts everything it sends; this second pass catches token shapes
// in what the page adds, since the text is meant to be pasted somewhere public.
import type { HistoryEvent, SupervisorStatus } from './api.js';
import { exitText } from './history.view.js';

// Token shapes and environment-style `NAME_KEY=value` pairs, as the supervisor redacts them (docs/api.md, Security).
const secretPatterns: RegExp[] = [
  /\bsk-ant-[A-Za-z0-9_-]+/g,
  /\bpara_[A-Za-z0-9_-]+/g,
  /\b(Bearer\s+)[A-Za-z0-9._~+/-]+=*/gi,
  /\b([A-Z0-9_]*(?:TOKEN|KEY|SECRET|PASSWORD)[A-Z0-9_]*=)("[^"]*"|'[^']*'|[^\s,;]+)/g,
];

/** The text with token shapes and secret-looking `NAME=value` pairs replaced by [REDACTED]. */
export function redactText(text: string): string {
  let out = text;
  for (const pattern of secretPatterns) {
    out = out.replace(pattern, (whole, prefix?: string) => (typeof prefix === 'string' && whole.startsWith(prefix) ? `${prefix}[REDACTED]` : '[REDACTED]'));
  }
  return out;
}

export interface DiagnosticsInput {
  now: number;
  pageUrl: string;
  userAgent: string;
  connection: string;
  lastContactAt: number | null;
  status: SupervisorStatus | null;
  history: readonly HistoryEvent[];
  logLines: readonly string[];
}

function eventLine(event: HistoryEvent): string {
  const { seq, at, type, ...fields } = event;
  const tail = 'log_tail' in fields ? (fields as { log_tail: string[] }).log_tail : null;
  const rest = Object.entries(fields)
    .filter(([key]) => key !== 'log_tail')
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(' ');
  const exit = event.type === 'crashed' || event.type === 'stopped' ? exitText(event.code, event.signal) : null;
  const head = `#${seq} ${at} ${type}${exit ? ` (${exit})` : ''}${rest ? ` ${rest}` : ''}`;
  return tail && tail.length ? `${head}\n${tail.map((line) => `    | ${line}`).join('\n')}` : head;
}

/** The diagnostics text, redacted. */
export function diagnosticsText(input: DiagnosticsInput): string {
  const sections = [
    `Parachute Supervisor diagnostics, ${new Date(input.now).toISOString()}`,
    `Page: ${input.pageUrl}\nBrowser: ${input.userAgent}\nConnection: ${input.connection}${
      input.lastContactAt === null ? '' : ` (last answer ${new Date(input.lastContactAt).toISOString()})`
    }`,
    `== Status (last known)\n${input.status ? JSON.stringify(input.status, null, 2) : '(none received)'}`,
    `== History, newest first (${input.history.length})\n${input.history.map(eventLine).join('\n') || '(none)'}`,
    `== Server log, last ${input.logLines.length} lines\n${input.logLines.join('\n') || '(none)'}`,
  ];
  return redactText(`${sections.join('\n\n')}\n`);
}
