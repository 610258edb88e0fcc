// Lead ids: time-ordered v7 UUIDs sort by creation time; random v4 ones stay random.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUuid, timeOrderedUuid } from '../../web/src/uuid.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('a v7 id carries its millisecond timestamp, version 7 and the RFC variant', () => {
  const at = Date.UTC(2026, 10, 26, 13, 0, 0, 123);
  const id = timeOrderedUuid(at);
  assert.match(id, V7);
  assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), at);
});

test('v7 ids made later sort later, and ids of one millisecond differ', () => {
  const ids = [0, 1, 255, 256, 65536, 2 ** 40, Date.now()].map((ms) => timeOrderedUuid(ms));
  assert.deepEqual([...ids].sort(), ids);
  const same = new Set(Array.from({ length: 1000 }, () => timeOrderedUuid(1_700_000_000_000)));
  assert.equal(same.size, 1000);
});

test('random ids are version 4', () => {
  assert.match(randomUuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
