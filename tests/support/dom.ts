// Helpers for component tests that run under happy-dom.

interface HappyDomWindow {
  happyDOM: { setURL(url: string): void };
}

/**
 * Puts the test page at `url`, as if the app had served it: happy-dom's
 * fetch then treats the test server as the same origin, so relative paths
 * (the hooks' `/api/...`) and the API client both reach it.
 */
export function openPageAt(url: string): void {
  (window as unknown as HappyDomWindow).happyDOM.setURL(url);
}
