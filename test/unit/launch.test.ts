import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SERVER_ENV_DEFAULTS, serverEnv } from '../../server/src/launch';

test('serverEnv: the defaults under the environment given, whose own values win', () => {
  assert.deepEqual(serverEnv({ PATH: '/bin' }), { PATH: '/bin', ...SERVER_ENV_DEFAULTS });
  assert.equal(serverEnv({ MALLOC_ARENA_MAX: '8' }).MALLOC_ARENA_MAX, '8');
  assert.equal(serverEnv({}).MALLOC_ARENA_MAX, '2');
});
