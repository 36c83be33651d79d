// REST reads of the gateway's /api, with the optional bearer token.
// Reads are open unless the gateway runs with MOELORA_GATEWAY_AUTH_PROTECT_READS=true; then the
// token entered in the page (kept in localStorage, never sent anywhere but this gateway) is used.

const TOKEN_KEY = 'moelora.gateway.token';

/** The saved API token, or '' when none. */
export function token() {
  try {
    return localStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

/** Saves (or with '' forgets) the API token. */
export function saveToken(value) {
  try {
    if (value) {
      localStorage.setItem(TOKEN_KEY, value);
    } else {
      localStorage.removeItem(TOKEN_KEY);
    }
  } catch {
    // Storage disabled: the token lasts for this page only.
  }
}

/** A non-2xx answer; {@code detail} is the problem+json detail when the gateway sent one. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(`HTTP ${status}${detail ? ': ' + detail : ''}`);
    this.status = status;
    this.detail = detail;
  }
}

/** The absolute URL of an /api path, relative to the page (so the dashboard works under a proxy prefix). */
export function apiUrl(path, params = {}) {
  const url = new URL('api/' + path, document.baseURI);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) {
      url.searchParams.set(key, String(value));
    }
  }
  return url;
}

/** Request headers with the token, when one is saved. */
export function authHeaders(extra = {}) {
  const headers = { ...extra };
  const t = token();
  if (t) {
    headers.Authorization = 'Bearer ' + t;
  }
  return headers;
}

/** GETs an /api path as JSON; throws ApiError on a non-2xx answer. */
export async function getJson(path, params) {
  const response = await fetch(apiUrl(path, params), {
    headers: authHeaders({ Accept: 'application/json' }),
    cache: 'no-store',
  });
  if (!response.ok) {
    let detail = '';
    try {
      detail = (await response.json()).detail || '';
    } catch {
      // not problem+json
    }
    throw new ApiError(response.status, detail);
  }
  return response.json();
}

/** Path segment of an id (ids are [A-Za-z0-9._-], but never trust that in a URL). */
export function seg(id) {
  return encodeURIComponent(id);
}
