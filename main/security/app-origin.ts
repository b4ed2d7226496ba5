// Where the renderer lives in the desktop app: a custom `app://roomy` origin served from the
// packaged files, never `file://` (which would give the page every file on the disk as its origin).
export const APP_SCHEME = 'app';
export const APP_HOST = 'roomy';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Parses a URL, or null: every URL decision parses, never compares substrings. */
export function parseUrl(raw: unknown): URL | null {
  if (typeof raw !== 'string') return null;
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** Whether the URL belongs to the app's own origin (scheme, host and no port or credentials). */
export function isAppUrl(raw: unknown): boolean {
  const url = parseUrl(raw);
  return (
    url !== null &&
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}
