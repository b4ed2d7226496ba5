// Which URLs the app may navigate to (its own origin only) and which it may hand to the
// operating system's browser (https on an allowlist). Decided by parsing, never by substring.
import { isAppUrl, parseUrl } from './app-origin.js';

/** Sites a property page links to: its listings on the booking channels. */
export const EXTERNAL_HOSTS = ['www.airbnb.com', 'www.booking.com', 'www.openstreetmap.org'] as const;

/** Navigation inside a window: only to the app's own pages. */
export function mayNavigateTo(raw: unknown): boolean {
  return isAppUrl(raw);
}

/**
 * The URL to open in the user's browser, or null. Only https, only an allowlisted host, no
 * credentials and no unusual port: anything else could hand the OS a `file:`, `smb:` or custom
 * scheme that runs a program.
 */
export function externalUrlToOpen(raw: unknown, allowedHosts: readonly string[] = EXTERNAL_HOSTS): URL | null {
  const url = parseUrl(raw);
  if (!url) return null;
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return null;
  if (!allowedHosts.includes(url.hostname)) return null;
  return url;
}
