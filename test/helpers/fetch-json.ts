/**
 * One request to a JSON API, as tests send them: `json` becomes the body (and a POST unless another
 * method is given), and the answer's body is parsed (undefined when empty). Runs in Node and in the
 * browser alike.
 */
export interface JsonRequest {
  method?: string;
  json?: unknown;
  headers?: Record<string, string>;
}

export interface JsonAnswer<T> {
  status: number;
  headers: Headers;
  body: T;
}

export async function fetchJson<T = unknown>(url: string, init: JsonRequest = {}): Promise<JsonAnswer<T>> {
  const res = await fetch(url, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: { ...(init.json === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
}
