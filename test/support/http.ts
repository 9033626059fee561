import { request as httpRequest } from 'node:http';
import { checkAnswer } from './contract.js';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON fields
  json: any;
}

/**
 * One HTTP request with full control of headers (Host, Origin) and raw bodies; never throws on a status. An answer
 * from a `/supervisor/…` path that does not match docs/openapi.yaml rejects, naming path, status and what is wrong.
 */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = undefined;
        try {
          json = JSON.parse(text);
        } catch {
          // not JSON
        }
        const status = res.statusCode ?? 0;
        const violation = checkAnswer({ method: options.method ?? 'GET', url, status, headers: res.headers, text });
        if (violation) reject(new Error(violation));
        else resolve({ status, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
