import { describe, expect, it } from 'vitest';
import { migrate, UPGRADES, type RunDocument, type Upgrade } from '../../../collector/store/migrate.ts';
import { CURRENT_SCHEMA_VERSION } from '../../../collector/store/schema/index.ts';

// A fake history: v0 called the field `title`, v1 calls it `name`; v2 adds `tags`.
const v0ToV1: Upgrade = ({ title, ...rest }) => ({ ...rest, name: title });
const v1ToV2: Upgrade = (doc) => ({ ...doc, tags: [] });
const chain = new Map<number, Upgrade>([
  [0, v0ToV1],
  [1, v1ToV2],
]);

describe('migrate', () => {
  it('applies a v0 → v1 step and stamps the new version', () => {
    const v0: RunDocument = { schemaVersion: 0, title: 'old run' };
    expect(migrate(v0, 0, 1, chain)).toEqual({ ok: true, from: 0, doc: { schemaVersion: 1, name: 'old run' } });
  });

  it('chains steps in order until the target version', () => {
    const result = migrate({ schemaVersion: 0, title: 't' }, 0, 2, chain);
    expect(result).toEqual({ ok: true, from: 0, doc: { schemaVersion: 2, name: 't', tags: [] } });
  });

  it('leaves a current document as it is', () => {
    const doc = { schemaVersion: 2, name: 'n' };
    expect(migrate(doc, 2, 2, chain)).toEqual({ ok: true, from: 2, doc });
  });

  it('does not mutate the document it is given', () => {
    const v0 = { schemaVersion: 0, title: 't' };
    migrate(v0, 0, 2, chain);
    expect(v0).toEqual({ schemaVersion: 0, title: 't' });
  });

  it('reports the first missing step instead of skipping it', () => {
    expect(migrate({ schemaVersion: -1 }, -1, 2, chain)).toEqual({ ok: false, missingFrom: -1 });
    expect(migrate({}, 0, 3, chain)).toEqual({ ok: false, missingFrom: 2 });
  });

  it('has a real chain that covers every version below the current one', () => {
    for (let v = 1; v < CURRENT_SCHEMA_VERSION; v++) expect(UPGRADES.has(v)).toBe(true);
    expect(CURRENT_SCHEMA_VERSION).toBe(4);
    expect(UPGRADES.size).toBe(3);
  });
});
