/**
 * What is wrong with a REST root (a --rest-url, a fleet file's restUrl, a --prometheus-url), or
 * undefined when it is fine. A root is printed in messages and failure reasons and request paths
 * are appended to it, so it must carry no secret: neither credentials (they belong in
 * --bearer-token-env and the like) nor a query string or fragment, where tokens hide. The problem
 * never repeats the text it was given.
 */
export function restUrlProblem(text: string): string | undefined {
  if (!URL.canParse(text)) return 'is not a URL (like http://jobmanager:8081)';
  const url = new URL(text);
  if (!/^https?:$/.test(url.protocol)) return 'is not an http(s) URL (like http://jobmanager:8081)';
  if (url.username || url.password) return 'holds credentials: put them in an env variable or file (--bearer-token-env, --basic-auth-file, ...), not in the URL';
  // The text, not url.search: a bare '?' or '#' leaves search and hash empty but still ends up in the root.
  if (/[?#]/.test(text)) return `has a query string or fragment (not shown: it may hold a secret): give the REST root alone, e.g. ${url.origin}${url.pathname}`;
  return undefined;
}

/** Throws the problem of a REST root, prefixed with where it came from (e.g. `--rest-url`). */
export function checkRestUrl(text: string, where: string): string {
  const problem = restUrlProblem(text);
  if (problem) throw new Error(`${where} ${problem}`);
  return text;
}
