// Where the page finds the service and its token. In order: the query string (`?base=…&token=…&user=…`), what the
// settings form stored, the build's `VITE_DOCK_BASE_URL`, then a local dev service. A host page (or a test) may
// provide `window.dockGetToken`, called before every request and socket, as a real app's auth client would be.
import { createDock, type Dock } from '@agentdock/dock';

export interface DemoConfig {
  baseUrl: string;
  /** A fixed bearer token (empty: none, e.g. a dev-mode service). */
  token: string;
  /** Dev-mode callers name themselves (`X-User-Id`, offered by CORS outside prod only). */
  userId: string;
  /** 'simulator': the Realtime session runs over the service's simulator socket; 'openai': WebRTC to OpenAI. */
  voice: 'simulator' | 'openai';
}

declare global {
  interface Window {
    dockGetToken?: () => string | Promise<string>;
  }
}

const KEY = 'agentdock.dock-demo.config';

export function loadConfig(): DemoConfig {
  const query = new URLSearchParams(window.location.search);
  let stored: Partial<DemoConfig> = {};
  try {
    stored = JSON.parse(window.localStorage.getItem(KEY) ?? '{}') as Partial<DemoConfig>;
  } catch {
    stored = {};
  }
  const env = import.meta.env.VITE_DOCK_BASE_URL as string | undefined;
  const voice = query.get('voice') ?? stored.voice;
  return {
    baseUrl: query.get('base') ?? stored.baseUrl ?? env ?? 'http://localhost:8080',
    token: query.get('token') ?? stored.token ?? '',
    userId: query.get('user') ?? stored.userId ?? '',
    voice: voice === 'openai' ? 'openai' : 'simulator',
  };
}

export function saveConfig(config: DemoConfig): void {
  window.localStorage.setItem(KEY, JSON.stringify(config));
}

export function dockFor(config: DemoConfig): Dock {
  return createDock({
    baseUrl: config.baseUrl,
    getToken: () => (window.dockGetToken ? window.dockGetToken() : config.token || undefined),
    headers: config.userId ? { 'X-User-Id': config.userId } : undefined,
  });
}

/** The Realtime socket of the service's built-in simulator (dev and test builds). */
export function simulatorRealtimeUrl(config: DemoConfig, model: string | undefined): string {
  const url = new URL('/v1/realtime', config.baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (model) url.searchParams.set('model', model);
  return url.toString();
}
