// The Content-Security-Policy for every page of the app, in the desktop shell and the browser
// host alike: scripts and styles only from the app itself, no eval, no plugins, no framing, and
// network access only back to where the page came from. The component library injects <style>
// elements for its theme; they carry a nonce made for each page load.
import { randomBytes } from 'node:crypto';

export const newStyleNonce = (): string => randomBytes(18).toString('base64');

export function contentSecurityPolicy(styleNonce: string): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(styleNonce))
    throw new Error('A style nonce must be base64 text of 16 characters or more');
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${styleNonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'none'",
    "media-src 'none'",
    // The export worker (renderer/ui/export-worker.ts) builds CSV and Excel files off the page.
    "worker-src 'self'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers sent with every page and file the app serves. */
export function securityHeaders(styleNonce: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(styleNonce),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
  };
}

/** Where index.html carries the nonce, so the page can hand it to the component library. */
export const STYLE_NONCE_PLACEHOLDER = '__ROOMY_STYLE_NONCE__';
