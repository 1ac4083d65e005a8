import { Agent, request, type Dispatcher } from 'undici';
import type { Credentials } from './credentials.ts';
import { checkRestUrl } from './rest-url.ts';

export interface RestClientOptions {
  /** Per-request timeout (connect, headers and body together). */
  timeoutMs?: number;
  /** Extra attempts after the first, on timeouts, connection errors and 5xx (never on 4xx). */
  retries?: number;
  /** First backoff; doubles per attempt, with full jitter. */
  backoffMs?: number;
  credentials?: Credentials;
  /** A shared undici Agent (custom CA, connection pool). */
  dispatcher?: Dispatcher;
  /** Once aborted, no request starts and none is retried (the caller stops the Agent's requests in flight). */
  signal?: AbortSignal;
}

/** A GET that answered: `body` is the parsed JSON. */
export interface RestAnswer {
  t: number;
  status: number;
  body: unknown;
}

/** A request that failed for good; `status` is set when the server answered. Never holds credentials. */
export class RestError extends Error {
  override readonly name = 'RestError';
  constructor(
    message: string,
    readonly path: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * A GET-only JSON client for one Flink REST root. Concurrency is bounded by the caller's limiter
 * (shared across clusters); this class owns timeouts, retries and turning any misbehaviour
 * (HTML error pages, bad JSON, refused connections) into a one-line RestError.
 */
export class RestClient {
  private readonly root: string;
  private readonly headers: Record<string, string>;

  constructor(
    restUrl: string,
    private readonly options: RestClientOptions = {},
  ) {
    // The root appears in messages: no secret may travel in it (sources are checked before, this is the last guard).
    this.root = new URL(checkRestUrl(restUrl, 'the REST root')).href.replace(/\/+$/, '');
    this.headers = { accept: 'application/json' };
    const c = options.credentials;
    if (c?.kind === 'bearer') this.headers.authorization = `Bearer ${c.token}`;
    if (c?.kind === 'basic') this.headers.authorization = `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}`;
  }

  /** The REST root, safe to show. */
  get url(): string {
    return this.root;
  }

  async get(path: string): Promise<RestAnswer> {
    const retries = this.options.retries ?? 3;
    const backoff = this.options.backoffMs ?? 200;
    for (let attempt = 0; ; attempt++) {
      try {
        if (this.options.signal?.aborted) throw new RestError(`GET ${this.root}${path}: stopped`, path);
        return await this.once(path);
      } catch (error) {
        const e = error as RestError;
        const retriable = (e.status === undefined || e.status >= 500) && !this.options.signal?.aborted;
        if (!retriable || attempt >= retries) {
          const tries = attempt > 0 ? ` (after ${attempt + 1} attempts)` : '';
          throw new RestError(`${e.message}${tries}`, path, e.status);
        }
        await sleep(Math.random() * backoff * 2 ** attempt);
      }
    }
  }

  private async once(path: string): Promise<RestAnswer> {
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const where = `GET ${this.root}${path}`;
    let response: Dispatcher.ResponseData;
    try {
      // undici's own timers (no AbortSignal per request: they cost on 10^4-request fleets).
      response = await request(`${this.root}${path}`, {
        method: 'GET',
        headers: this.headers,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
      });
    } catch (error) {
      throw new RestError(`${where}: ${describeNetworkError(error, timeoutMs)}`, path);
    }
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw new RestError(`${where}: ${describeNetworkError(error, timeoutMs)} while reading the answer`, path);
    }
    const t = serverTime(response.headers.date) ?? Date.now();
    const status = response.statusCode;
    if (status >= 400) throw new RestError(`${where}: HTTP ${status}${flinkErrorText(text)}`, path, status);
    try {
      return { t, status, body: JSON.parse(text) };
    } catch {
      const looksHtml = /^\s*</.test(text);
      // An answer that is not JSON is treated like a server error: proxies send HTML pages while a JM restarts.
      throw new RestError(`${where}: answered ${looksHtml ? 'an HTML page' : 'malformed JSON'} instead of JSON`, path, looksHtml ? 502 : 500);
    }
  }
}

/**
 * The server's clock from its Date header when it disagrees with ours by more than the header's
 * one-second resolution can explain: samples then carry the time the cluster measured them at (a
 * simulator running faster than the wall clock, a skewed client). Real Flink sends no Date; an
 * ingress in front of it sends wall-clock time, where our millisecond clock is the better one.
 */
function serverTime(header: string | string[] | undefined): number | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (!text) return undefined;
  const t = Date.parse(text);
  return Number.isFinite(t) && Math.abs(t - Date.now()) > 2_000 ? t : undefined;
}

/** Flink's error answers are `{"errors": ["..."]}`: keep the first line of the first one. */
function flinkErrorText(text: string): string {
  try {
    const body = JSON.parse(text) as { errors?: unknown[] };
    const first = body.errors?.[0];
    if (typeof first === 'string') return `: ${first.split('\n', 1)[0]!.slice(0, 200)}`;
  } catch {
    // not JSON: the status says enough
  }
  return '';
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') {
    return `no answer within ${timeoutMs} ms`;
  }
  const code = e.code ?? e.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (code === 'ENOTFOUND') return 'host not found';
  return (e.message ?? String(error)).split('\n', 1)[0]!;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One Agent per run: pooled keep-alive connections, and the custom CA when given. */
export function createAgent(options: { ca?: string; connections?: number } = {}): Agent {
  return new Agent({
    connections: options.connections ?? 32,
    keepAliveTimeout: 10_000,
    ...(options.ca ? { connect: { ca: options.ca } } : {}),
  });
}
