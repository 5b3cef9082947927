/**
 * The Content Security Policy of the renderer, the same for the desktop window and the browser UI:
 * only the app's own scripts and styles, no remote content, no eval, no frames, no plugins.
 * `connect-src` admits the WebSocket of the host that served the page (headless shell).
 */
export function contentSecurityPolicy(connectSources: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    // Vue's scoped styles and Chart.js set inline style attributes; no inline <script> is ever allowed.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${connectSources.join(' ')}`.trim(),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
