// One protocol: the C++ core, web/src/protocol.js, the server and web/index.d.ts must name the same codes and apply the same tenant-id rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import {
  ErrorCodes, CORE_ERROR_CODES, ResultStatuses, HttpErrorCodes, FeedStates, isTenantId,
} from '../../web/src/protocol.js';
import * as client from '../../web/src/index.js';
import * as server from '../../web/server/index.js';
import { isTenantId as serverIsTenantId } from '../../web/server/token.js';
import { loadCore } from '../../web/src/core.js';

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

// `NAME: Readonly<{ KEY: 'value'; … }>` in a .d.ts, as an object.
function declared(dts, name) {
  const block = dts.match(new RegExp(`export declare const ${name}: Readonly<\\{([^}]*)\\}>`));
  assert.ok(block, `${name} is declared`);
  return Object.fromEntries([...block[1].matchAll(/(\w+): '(\w+)'/g)].map((m) => [m[1], m[2]]));
}

test("the core's error codes (ErrorCode.cpp) are exactly protocol.js's core group, and every one is in ErrorCodes", () => {
  const cpp = [...read('src/core/ErrorCode.cpp').matchAll(/return "(\w+)";/g)].map((m) => m[1]).filter((c) => c !== 'ok');
  assert.deepEqual([...new Set(cpp)].sort(), [...CORE_ERROR_CODES].sort());
  for (const code of CORE_ERROR_CODES) assert.ok(Object.values(ErrorCodes).includes(code), code);
});

test("the result statuses the core applies (StoreApi.cpp completeBatch) are exactly protocol.js's", () => {
  const cpp = [...read('src/api/StoreApi.cpp').matchAll(/status == "(\w+)"/g)].map((m) => m[1]);
  assert.deepEqual(cpp.sort(), Object.values(ResultStatuses).sort());
});

test('web/index.d.ts declares the same error codes, result statuses, HTTP error codes and feed states as protocol.js', () => {
  const dts = read('web/index.d.ts');
  assert.deepEqual(declared(dts, 'ErrorCodes'), { ...ErrorCodes });
  assert.deepEqual(declared(dts, 'ResultStatuses'), { ...ResultStatuses });
  assert.deepEqual(declared(dts, 'HttpErrorCodes'), { ...HttpErrorCodes });
  assert.deepEqual(declared(dts, 'FeedStates'), { ...FeedStates });
});

test('the client and the server export the one protocol table, not copies', () => {
  assert.equal(client.ErrorCodes, ErrorCodes);
  assert.equal(client.HttpErrorCodes, HttpErrorCodes);
  assert.equal(client.FeedStates, FeedStates);
  assert.equal(server.HttpErrorCodes, HttpErrorCodes);
  assert.equal(serverIsTenantId, isTenantId);
});

test("every error code the server's handlers answer with is one of HttpErrorCodes", () => {
  const dir = new URL('../../web/server/', import.meta.url);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(new URL(file, dir), 'utf8');
    const literals = [...text.matchAll(/HttpError\(\d+, '(\w+)'|code: '(\w+)'/g)].map((m) => m[1] ?? m[2]);
    for (const code of literals) assert.ok(Object.values(HttpErrorCodes).includes(code), `${code} (web/server/${file}) is in protocol.js`);
  }
});

test('the core and protocol.js accept and refuse the same tenant ids', async () => {
  const core = await loadCore();
  const samples = [
    'acme', 'a', 'a-b_c', '0lead', 'x'.repeat(63), 'x'.repeat(64), '', '-acme', '_acme', 'Acme', 'acme corp', 'acme/..',
    'ä', 'acme\n', '123e4567-e89b-12d3-a456-426614174000', '123E4567-E89B-12D3-A456-426614174000',
    '123e4567-e89b-12d3-a456-42661417400', '123e4567e89b12d3a456426614174000', 'a'.repeat(36),
  ];
  for (const [i, id] of samples.entries()) {
    const api = new core.CoreStore();
    try {
      const answer = JSON.parse(api.open(`/protocol-parity/${i}/leads.db`, id, Date.now(), '{}'));
      const coreAccepts = answer.ok || answer.code !== ErrorCodes.INVALID_TENANT;
      assert.equal(isTenantId(id), coreAccepts, `${JSON.stringify(id)}: core ${coreAccepts ? 'accepts' : 'refuses'} it`);
      api.close();
    } finally {
      api.delete();
    }
  }
});
