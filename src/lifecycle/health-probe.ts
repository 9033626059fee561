import { request } from 'node:http';

/** One answer of the main server's health endpoint. */
export type HealthResult = { ok: true; version: string | null } | { ok: false; message: string };

// A health body larger than this is not read further: the probe needs only a status and maybe a version.
const maxBodyBytes = 64 * 1024;

/**
 * Asks http://{host}:{port}{path} once; 2xx is healthy; `version` is taken from a JSON body if present.
 * Uses node:http rather than fetch: fetch loads undici (≈5 MiB of resident memory in an idle supervisor).
 */
export function probeHealth(port: number, path: string, timeoutMs: number, host = '127.0.0.1'): Promise<HealthResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: HealthResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const req = request({ host, port, path, agent: false, headers: { accept: 'application/json' } }, (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < maxBodyBytes) chunks.push(chunk);
        size += chunk.length;
      });
      res.once('end', () => {
        if (status < 200 || status > 299) return finish({ ok: false, message: `health answered HTTP ${status}` });
        finish({ ok: true, version: versionOf(Buffer.concat(chunks).toString('utf8')) });
      });
      res.once('error', (error) => finish({ ok: false, message: describe(error) }));
    });
    // One deadline for connect, headers and body together (a server that accepts and then says nothing is unhealthy).
    const timer = setTimeout(() => finish({ ok: false, message: 'health check timed out' }), timeoutMs);
    req.once('error', (error) => finish({ ok: false, message: describe(error) }));
    req.end();
  });
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
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return `health check failed: ${code}`;
  return error instanceof Error ? `health check failed: ${error.message}` : 'health check failed';
}
