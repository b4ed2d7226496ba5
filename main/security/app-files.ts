// Serving the renderer's built files, for the `app://` protocol and the browser host alike: a
// request path is resolved inside the renderer folder or refused (no `..`, no encoded escapes,
// no absolute paths), and index.html gets the page load's style nonce.
import { readFile, realpath } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { securityHeaders, STYLE_NONCE_PLACEHOLDER, newStyleNonce } from './content-security-policy.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The file a URL path names inside `root`, or null when it would leave it. The path is the
 * URL's pathname, still percent-encoded; `/` means index.html.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null;
  const wanted = decoded === '/' ? 'index.html' : decoded.slice(1);
  const file = resolve(root, wanted);
  const inside = relative(resolve(root), file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  return file;
}

export interface ServedFile {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

const refused = (status: number, message: string, nonce: string): ServedFile => ({
  status,
  headers: { ...securityHeaders(nonce), 'Content-Type': 'text/plain; charset=utf-8' },
  body: message,
});

/** Reads the file a URL path names, with the security headers; 404 for anything outside root. */
export async function serveAppFile(root: string, urlPath: string): Promise<ServedFile> {
  const nonce = newStyleNonce();
  const file = resolveInside(root, urlPath);
  if (!file) return refused(404, 'Not found', nonce);
  let real: string;
  try {
    // A link inside the folder must not lead out of it either.
    real = await realpath(file);
    const realRoot = await realpath(root);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) return refused(404, 'Not found', nonce);
  } catch {
    return refused(404, 'Not found', nonce);
  }
  const type = CONTENT_TYPES[extname(real).toLowerCase()];
  if (!type) return refused(404, 'Not found', nonce);
  const headers = { ...securityHeaders(nonce), 'Content-Type': type, 'Cache-Control': 'no-cache' };
  if (extname(real) === '.html') {
    const html = (await readFile(real, 'utf8')).replaceAll(STYLE_NONCE_PLACEHOLDER, nonce);
    return { status: 200, headers, body: html };
  }
  return { status: 200, headers, body: await readFile(real) };
}
