// Validating a request record with the run format's own schema, fast: a record can carry up to
// 100,000 stream events, and checking each 4-tuple through zod cost more than decoding the stream
// that produced it. The events are checked here by hand, against exactly RecordedEvent's rules
// (a property test holds the two to the same answer); everything else goes through zod. Anything
// the fast check rejects goes through the whole schema, so errors read the same either way.
import type { z } from 'zod';
import { RecordedEvent, RequestRecord } from './schema/index.ts';

const EVENT_KINDS: ReadonlySet<unknown> = new Set(RecordedEvent.def.items[1].options);
const AllButEvents = RequestRecord.omit({ events: true });

const isCount = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** True when `value` is an array of valid RecordedEvents. */
export function validEvents(value: unknown): value is RequestRecord['events'] {
  if (!Array.isArray(value)) return false;
  for (const event of value) {
    if (!Array.isArray(event) || event.length !== 4) return false;
    const [at, kind, tokens, chars] = event as unknown[];
    if (typeof at !== 'number' || !Number.isFinite(at)) return false;
    if (!EVENT_KINDS.has(kind)) return false;
    if (tokens !== null && !isCount(tokens)) return false;
    if (!isCount(chars)) return false;
  }
  return true;
}

export function checkRecord(value: unknown, options?: { reportInput?: boolean }): z.ZodSafeParseResult<RequestRecord> {
  const events = (value as { events?: unknown } | null)?.events;
  if (validEvents(events)) {
    // An object schema drops keys it does not name, so `events` is not walked again.
    const rest = AllButEvents.safeParse(value, options);
    if (rest.success) return { success: true, data: { ...rest.data, events } };
  }
  return RequestRecord.safeParse(value, options);
}
