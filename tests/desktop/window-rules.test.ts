// The rules every Roomy window is held to: the options it is built with, the page's
// Content-Security-Policy, where it may navigate, what it may open outside, and which
// permissions it gets (none). Each is a pure module the Electron shell attaches unchanged.
import { describe, expect, it } from 'vitest';
import { isAppUrl } from '../../main/security/app-origin.js';
import { contentSecurityPolicy, newStyleNonce, securityHeaders } from '../../main/security/content-security-policy.js';
import { refuseAllPermissionChecks, refuseAllPermissionRequests } from '../../main/security/permissions.js';
import { externalUrlToOpen, mayNavigateTo } from '../../main/security/trusted-url.js';
import { secureWindowOptions } from '../../main/security/window-options.js';

describe('window options', () => {
  const options = secureWindowOptions({
    preload: '/app/dist/preload/preload.cjs',
    bounds: { x: 10, y: 20, width: 1200, height: 800 },
    devTools: false,
  });

  it('keep Node out of the page and the page in its sandbox', () => {
    expect(options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });

  it('use the given preload and bounds, and show the window only once it has painted', () => {
    expect(options.webPreferences.preload).toBe('/app/dist/preload/preload.cjs');
    expect(options).toMatchObject({ x: 10, y: 20, width: 1200, height: 800, show: false });
    expect(options.webPreferences.devTools).toBe(false);
    expect(
      secureWindowOptions({ ...options, preload: 'p', bounds: options, devTools: true }).webPreferences.devTools,
    ).toBe(true);
  });
});

describe('the Content-Security-Policy', () => {
  const nonce = newStyleNonce();
  const directives = new Map(
    contentSecurityPolicy(nonce)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );

  it('runs script only from the app: no inline script, no eval', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'none'"]);
  });

  it('allows <style> elements only with this load’s nonce, never unsafe-inline', () => {
    expect(directives.get('style-src')).toEqual(["'self'", `'nonce-${nonce}'`]);
  });

  it('refuses plugins, framing, foreign connections, base and form targets', () => {
    for (const name of ['object-src', 'frame-ancestors', 'frame-src', 'base-uri', 'form-action']) {
      expect(directives.get(name), name).toEqual(["'none'"]);
    }
    // Workers only from the app's own scripts (the export worker).
    expect(directives.get('worker-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
  });

  it.each([["abc'; script-src *"], ['short'], [''], ['a b c d e f g h i j k']])(
    'refuses a malformed nonce: %j',
    (bad) => {
      expect(() => contentSecurityPolicy(bad)).toThrow(/style nonce/);
    },
  );

  it('makes a different nonce each time', () => {
    const nonces = new Set(Array.from({ length: 20 }, newStyleNonce));
    expect(nonces.size).toBe(20);
  });

  it('comes with the other headers that keep the page to itself', () => {
    expect(securityHeaders(nonce)).toMatchObject({
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
  });
});

describe('navigation', () => {
  it.each([['app://roomy/index.html'], ['app://roomy/#/properties'], ['app://roomy/']])('may go to %s', (url) => {
    expect(mayNavigateTo(url)).toBe(true);
  });

  it.each([
    ['app://roomy.evil.example/'],
    ['app://evil/'],
    ['app://roomy:8080/'],
    ['app://user@roomy/'],
    ['file:///etc/passwd'],
    ['https://roomy/'],
    ['http://127.0.0.1/'],
    ['javascript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    [''],
    ['not a url'],
    [undefined],
    [42],
  ])('refuses %j', (url) => {
    expect(mayNavigateTo(url)).toBe(false);
    expect(isAppUrl(url)).toBe(false);
  });
});

describe('opening links outside the app', () => {
  it('opens https links to the allowlisted channels', () => {
    expect(externalUrlToOpen('https://www.airbnb.com/rooms/123')?.href).toBe('https://www.airbnb.com/rooms/123');
    expect(externalUrlToOpen('https://www.booking.com/hotel/pt/x.html')).not.toBeNull();
  });

  it.each([
    ['http://www.airbnb.com/rooms/1'],
    ['https://www.airbnb.com.evil.example/'],
    ['https://evil.example/?next=https://www.airbnb.com/'],
    ['https://user:secret@www.airbnb.com/'],
    ['https://www.airbnb.com:444/'],
    ['file:///C:/Windows/System32/calc.exe'],
    ['smb://server/share'],
    ['javascript:alert(1)'],
    ['ms-settings:privacy'],
    ['https://airbnb.com/'],
    ['not a url'],
    [null],
  ])('refuses %j', (url) => {
    expect(externalUrlToOpen(url)).toBeNull();
  });

  it('follows the allowlist it is given', () => {
    expect(externalUrlToOpen('https://docs.example.org/help', ['docs.example.org'])).not.toBeNull();
    expect(externalUrlToOpen('https://www.airbnb.com/', ['docs.example.org'])).toBeNull();
  });
});

describe('permissions', () => {
  it.each([['media'], ['geolocation'], ['notifications'], ['clipboard-read'], ['openExternal'], ['fullscreen']])(
    'refuses a request for %s, and logs it',
    (permission) => {
      const logged: [string, string][] = [];
      const granted: boolean[] = [];
      refuseAllPermissionRequests((p, origin) => logged.push([p, origin]))(
        {},
        permission,
        (answer) => granted.push(answer),
        { requestingUrl: 'app://roomy/index.html' },
      );
      expect(granted).toEqual([false]);
      expect(logged).toEqual([[permission, 'app://roomy/index.html']]);
    },
  );

  it('answers every permission check with no', () => {
    expect(refuseAllPermissionChecks()).toBe(false);
  });
});
