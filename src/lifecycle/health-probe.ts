/** One answer of the main server's health endpoint. */
export type HealthResult = { ok: true; version: string | null } | { ok: false; message: string };

/** Asks http://127.0.0.1:{port}{path} once; 2xx is healthy; `version` is taken from a JSON body if present. */
export async function probeHealth(port: number, path: string, timeoutMs: number): Promise<HealthResult> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    const text = await response.text();
    if (response.status < 200 || response.status > 299) return { ok: false, message: `health answered HTTP ${response.status}` };
    return { ok: true, version: versionOf(text) };
  } catch (error) {
    return { ok: false, message: describe(error) };
  }
}

function versionOf(body: string): string | null {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'version' in parsed) {
      const version = (parsed as { version: unknown }).version;
      return typeof version === 'string' || typeof version === 'number' ? String(version) : null;
    }
  } catch {
    // A non-JSON 2xx body is still healthy; it just names no version.
  }
  return null;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'health check timed out';
    const cause = (error as Error & { cause?: { code?: string } }).cause;
    return cause?.code ? `health check failed: ${cause.code}` : `health check failed: ${error.message}`;
  }
  return 'health check failed';
}
