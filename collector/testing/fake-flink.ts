import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A scripted fault for the paths it matches (first `times` requests, or all). */
export interface Misbehaviour {
  match: RegExp;
  status?: number;
  /** Raw body text (HTML pages, broken JSON); JSON `{"errors":[...]}` when only status is set. */
  raw?: string;
  /** Wait this long before answering (slow answers, timeouts). */
  delayMs?: number;
  /** Close the connection without answering. */
  hangUp?: boolean;
  times?: number;
}

export interface FakeFlink {
  url: string;
  /** Every request path (with query), in arrival order. */
  requests: string[];
  /** The request headers seen, for checking authentication. */
  headers: IncomingHttpHeaders[];
  close(): Promise<void>;
}

/**
 * A test fixture: a Flink REST endpoint on 127.0.0.1 that replays the latest answer per path
 * (query ignored) of one cluster in a recording, with scripted misbehaviour on top.
 */
export async function startFakeFlink(options: { recording: string; cluster: string; misbehave?: Misbehaviour[]; tls?: { key: string; cert: string } }): Promise<FakeFlink> {
  const answers = new Map<string, unknown>();
  for (const line of readFileSync(options.recording, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const ex = JSON.parse(line) as { url?: string; cluster?: string; body?: unknown; status?: number };
    if (ex.url && ex.cluster === options.cluster && ex.status === 200) answers.set(ex.url.split('?')[0]!, ex.body);
  }
  const rules = (options.misbehave ?? []).map((m) => ({ ...m, left: m.times ?? Infinity }));
  const requests: string[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const handler: RequestListener = (req, res) => {
    const url = req.url ?? '/';
    requests.push(url);
    headers.push(req.headers);
    const path = decodeURIComponent(url.split('?')[0]!);
    const rule = rules.find((r) => r.left > 0 && r.match.test(url));
    if (rule) rule.left--;
    const answer = () => {
      if (rule?.hangUp) return req.socket.destroy();
      if (rule?.raw !== undefined || rule?.status !== undefined) {
        const status = rule.status ?? 200;
        const body = rule.raw ?? JSON.stringify({ errors: [`scripted ${status}`] });
        res.writeHead(status, { 'content-type': rule.raw?.trimStart().startsWith('<') ? 'text/html' : 'application/json' });
        return res.end(body);
      }
      if (!answers.has(path)) {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ errors: ['Not found: ' + path] }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answers.get(path)));
    };
    if (rule?.delayMs) setTimeout(answer, rule.delayMs);
    else answer();
  };
  const server = options.tls ? createTlsServer(options.tls, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    headers,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
