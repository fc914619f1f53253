// Load shapes and phase bounds in words a reader knows ("4 concurrent users", "2 requests/s,
// Poisson arrivals"), for headings, captions and the configuration section. Keys a shape does not
// name here are still shown, as `key value`, so nothing the scenario set is hidden.
import { plainValue } from '../format.ts';

type Load = Record<string, unknown> & { shape?: unknown };

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** The parts of a load every shape may carry beyond its level. */
function extras(load: Load, known: readonly string[]): string[] {
  const parts: string[] = [];
  if (isNumber(load['thinkTimeMs']) && load['thinkTimeMs'] > 0) parts.push(`${load['thinkTimeMs']} ms think time`);
  if (isNumber(load['rampUpS']) && load['rampUpS'] > 0) parts.push(`ramped up over ${load['rampUpS']} s`);
  if (isNumber(load['maxInFlight'])) parts.push(`at most ${load['maxInFlight']} in flight`);
  // requests and durationS are bounds (older scenarios kept them in the load): boundsLabel says them.
  const handled = new Set(['shape', 'thinkTimeMs', 'rampUpS', 'maxInFlight', 'requests', 'durationS', ...known]);
  for (const [key, value] of Object.entries(load)) if (!handled.has(key)) parts.push(`${key} ${plainValue(value)}`);
  return parts;
}

/** `4 concurrent users`, `2 requests/s, Poisson arrivals`, `one request at a time`. */
export function loadLabel(load: Load | undefined): string {
  if (load === undefined) return 'load not recorded';
  const shape = load.shape;
  let level: string;
  let known: string[] = [];
  if (shape === 'sequential') level = 'one request at a time';
  else if (shape === 'closed-loop' && isNumber(load['concurrency'])) {
    level = count(load['concurrency'], 'concurrent user');
    known = ['concurrency'];
  } else if ((shape === 'constant-rate' || shape === 'poisson') && isNumber(load['rate'])) {
    level = `${load['rate']} requests/s, ${shape === 'poisson' ? 'Poisson arrivals' : 'evenly spaced'}`;
    known = ['rate'];
  } else if (shape === 'ramp' && isNumber(load['from']) && isNumber(load['to'])) {
    level = `${load['of'] === 'rate' ? 'requests/s' : 'users'} ramped from ${load['from']} to ${load['to']}`;
    known = ['of', 'from', 'to'];
  } else level = typeof shape === 'string' ? shape : 'unknown load';
  return [level, ...extras(load, known)].join(', ');
}

/** A phase's bounds and warm-up: `12 requests`, `60 s`, `2 warm-up requests`. */
export function boundsLabel(bounds: unknown, warmup?: unknown): string {
  const parts: string[] = [];
  const b = bounds !== null && typeof bounds === 'object' ? (bounds as Record<string, unknown>) : {};
  if (isNumber(b['requests'])) parts.push(count(b['requests'], 'request'));
  if (isNumber(b['durationS'])) parts.push(`${b['durationS']} s`);
  for (const [key, value] of Object.entries(b)) if (key !== 'requests' && key !== 'durationS') parts.push(`${key} ${plainValue(value)}`);
  const w = warmup !== null && typeof warmup === 'object' ? (warmup as Record<string, unknown>) : {};
  const warm: string[] = [];
  if (isNumber(w['requests'])) warm.push(count(w['requests'], 'warm-up request'));
  if (isNumber(w['seconds'])) warm.push(`${w['seconds']} s of warm-up`);
  // A phase ends at whichever bound it reaches first.
  const ends = parts.length > 0 ? parts.join(' or ') : 'not bounded';
  return warm.length > 0 ? `${ends}, after ${warm.join(' or ')}` : ends;
}
