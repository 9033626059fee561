// Which server process answers: the fixture servers and the ASGI test app answer `GET /` with their pid.
import { request as httpRequest } from 'node:http';

/** One GET on a fresh connection; resolves with the answering server's pid, rejects with the socket error. */
export function servedBy(port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host, port, path: '/', agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('end', () => resolve((JSON.parse(text) as { pid: number }).pid));
    });
    req.once('error', reject);
    req.end();
  });
}
