// Pure text formatting shared by the pages.

/** A duration as a status line shows it: 42 → "42s", 300 → "5m", 7500 → "2h 5m", 266400 → "3d 2h". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  if (s < 60) return `${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`;
}

/** A short span in milliseconds: 85 → "85 ms", 1530 → "1.5 s", 90000 → "1m". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
  return formatDuration(ms / 1000);
}

/** "Up 5m" from an uptime in seconds; null when there is none. */
export function formatUptime(seconds: number | null | undefined): string | null {
  return typeof seconds === 'number' && Number.isFinite(seconds) ? `Up ${formatDuration(seconds)}` : null;
}

export { formatBytes } from '../../client/format.js';

/** How long ago, roughly: "just now", "3 min ago", "2 h ago", "4 d ago". */
export function formatAge(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  return hours < 24 ? `${hours} h ago` : `${Math.floor(hours / 24)} d ago`;
}

/** A token count as a context window reads: 1000000 → "1M", 200000 → "200K", 1500000 → "1.5M". */
export function formatTokens(tokens: number): string {
  if (tokens >= 1_000_000) return `${Number((tokens / 1_000_000).toFixed(1))}M`;
  if (tokens >= 1_000) return `${Math.round(tokens / 1_000)}K`;
  return String(tokens);
}

/** A moment as a history row shows it: "14:03:07" today, "24 Nov 14:03:07" another day (local time). */
export function formatWhen(at: number, now: number): string {
  const d = new Date(at);
  const time = formatClock(at).slice(0, 8);
  if (new Date(now).toDateString() === d.toDateString()) return time;
  return `${d.getDate()} ${d.toLocaleString('en', { month: 'short' })} ${time}`;
}

/** Wall-clock time with milliseconds, for the event timeline: "14:03:07.215". */
export function formatClock(at: number): string {
  const d = new Date(at);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** The local calendar date of a moment: "2026-11-24". */
export function formatLocalDate(at: number): string {
  const d = new Date(at);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A model family as a group heading: "sonnet" → "Sonnet", "claude-2" → "Claude-2". */
export function familyLabel(family: string): string {
  const trimmed = family.trim();
  return trimmed === '' ? 'Other' : trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}

/** A timestamp that may arrive as ms epoch, seconds epoch or ISO text, as ms epoch; null if unreadable. */
export function toEpochMs(at: number | string | null | undefined): number | null {
  if (typeof at === 'number' && Number.isFinite(at)) return at < 1e11 ? at * 1000 : at;
  if (typeof at === 'string') {
    const parsed = Date.parse(at);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

// ANSI colour and cursor sequences that servers write to their logs (ESC is the point, hence the control char).
// eslint-disable-next-line no-control-regex
const ansiPattern = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** A log line without terminal escape sequences. */
export function stripAnsi(line: string): string {
  return line.replace(ansiPattern, '');
}

/** A version for display: "1.2.3" and "v1.2.3" → "v1.2.3"; a version that is not a number ("demo-1.0.0") as it is. */
export function formatVersion(version: string): string {
  return /^v?\d/.test(version) ? `v${version.replace(/^v/, '')}` : version;
}
