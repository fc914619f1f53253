// The paths each simulated engine serves, as data: which answer generates text (and with which
// API), which return info bodies, which tokenize or export metrics. The server looks a request up
// here; an unknown path or method gets the engine's own 404/405 (see errors.ts).
import type { SimKind } from '../types.ts';
import type { Api } from './requests.ts';

export type Route =
  /** A generation request. `stream` fixes streaming by path (TGI /generate vs /generate_stream). */
  | { type: 'generate'; api: Api; stream?: boolean; wrapInArray?: boolean }
  | { type: 'info'; name: InfoName }
  | { type: 'tokenize' }
  | { type: 'metrics' };

export type InfoName =
  | 'health-empty'
  | 'health-ok'
  | 'ollama-running'
  | 'vllm-version'
  | 'vllm-models'
  | 'tgi-info'
  | 'tgi-models'
  | 'ollama-version'
  | 'ollama-tags'
  | 'ollama-ps'
  | 'ollama-show'
  | 'llamacpp-props'
  | 'llamacpp-models';

type Table = Record<string, Partial<Record<'GET' | 'POST', Route>>>;

const info = (name: InfoName): Route => ({ type: 'info', name });

const TABLES: Record<SimKind, Table> = {
  vllm: {
    '/health': { GET: info('health-empty') },
    '/ping': { GET: info('health-empty'), POST: info('health-empty') },
    '/version': { GET: info('vllm-version') },
    '/v1/models': { GET: info('vllm-models') },
    '/tokenize': { POST: { type: 'tokenize' } },
    '/metrics': { GET: { type: 'metrics' } },
    '/v1/chat/completions': { POST: { type: 'generate', api: 'chat' } },
    '/v1/completions': { POST: { type: 'generate', api: 'completions' } },
  },
  tgi: {
    // GET / is a health check; POST / is the compat route where the body's `stream` decides.
    '/': { GET: info('health-empty'), POST: { type: 'generate', api: 'generate', wrapInArray: true } },
    '/health': { GET: info('health-empty') },
    '/ping': { GET: info('health-empty') },
    '/info': { GET: info('tgi-info') },
    '/v1/models': { GET: info('tgi-models') },
    '/tokenize': { POST: { type: 'tokenize' } },
    '/metrics': { GET: { type: 'metrics' } },
    '/generate': { POST: { type: 'generate', api: 'generate', stream: false } },
    '/generate_stream': { POST: { type: 'generate', api: 'generate', stream: true } },
    '/v1/chat/completions': { POST: { type: 'generate', api: 'messages' } },
    '/v1/completions': { POST: { type: 'generate', api: 'completions' } },
  },
  ollama: {
    '/': { GET: info('ollama-running') },
    '/api/version': { GET: info('ollama-version') },
    '/api/tags': { GET: info('ollama-tags') },
    '/api/ps': { GET: info('ollama-ps') },
    '/api/show': { POST: info('ollama-show') },
    '/api/chat': { POST: { type: 'generate', api: 'chat' } },
    '/api/generate': { POST: { type: 'generate', api: 'generate' } },
  },
  llamacpp: {
    '/health': { GET: info('health-ok') },
    '/v1/health': { GET: info('health-ok') },
    '/props': { GET: info('llamacpp-props') },
    '/v1/models': { GET: info('llamacpp-models') },
    '/models': { GET: info('llamacpp-models') },
    '/metrics': { GET: { type: 'metrics' } },
    '/tokenize': { POST: { type: 'tokenize' } },
    '/v1/chat/completions': { POST: { type: 'generate', api: 'chat' } },
    '/chat/completions': { POST: { type: 'generate', api: 'chat' } },
    '/v1/completions': { POST: { type: 'generate', api: 'completions' } },
    '/completions': { POST: { type: 'generate', api: 'completions' } },
  },
};

export type RouteLookup = { found: Route } | { missing: 'path' | 'method' };

/** The route for a method and path (query string already removed). HEAD is served as GET. */
export function findRoute(kind: SimKind, method: string, path: string): RouteLookup {
  const entry = TABLES[kind][path];
  if (!entry) return { missing: 'path' };
  const route = method === 'GET' || method === 'HEAD' ? entry.GET : method === 'POST' ? entry.POST : undefined;
  return route ? { found: route } : { missing: 'method' };
}
