/**
 * Redis connections that fail fast. While Redis is down a request must get a clear answer at
 * once rather than wait on it, and a command the caller already gave up on must never run later
 * behind its back, so nothing waits in an offline queue and nothing is resent after a reconnect.
 * Reconnecting goes on in the background for as long as the process lives, so service comes back
 * by itself when Redis does.
 */
import { createRequire } from 'node:module';
import type { Redis, RedisOptions } from 'ioredis';
import type { Logger } from './logger.ts';

/** ioredis is loaded by the first connection, not by every start: a server without REDIS_URL
 * never needs it, and loading it was a sixth of the time to the first answer. */
const loadIoredis = () => createRequire(import.meta.url)('ioredis') as typeof import('ioredis');

/** A healthy Redis answers in about a millisecond; this only cuts off a stuck or lost one. */
const COMMAND_TIMEOUT_MS = 500;
/** How long a command issued at start-up waits for the very first connection. */
const FIRST_CONNECTION_WAIT_MS = 1000;

const failFast: RedisOptions = {
  commandTimeout: COMMAND_TIMEOUT_MS,
  connectTimeout: FIRST_CONNECTION_WAIT_MS,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
};

/**
 * For the carts' connection only: commands issued in one turn of the event loop (the carts of
 * fifty shoppers' requests, say) go out in one write instead of one each; under load a write per
 * command was a sixth of a cart read's time. Each command still succeeds, fails or times out on its
 * own. Not for the status bus or the rate limits: their commands are few, and when Redis was killed
 * ioredis's auto-pipeline left a "Connection is closed" rejection no caller could catch
 * (test/server/checkout/status-bus.test.ts failed on it).
 */
export const AUTO_PIPELINING: RedisOptions = { enableAutoPipelining: true };

export interface Connection {
  redis: Redis;
  /** Resolves once first connected, or after a short wait: only then do commands fail fast. */
  firstConnection: Promise<void>;
}

/**
 * `name` labels the log lines. `onReconnect` runs each time the connection comes back after being
 * lost (not on the first connection). `overrides` are for connections that must wait instead,
 * such as a subscriber whose one command is its subscription.
 */
export function connectRedis(url: string, o: { name: string; logger: Logger; onReconnect?: () => void; overrides?: RedisOptions }): Connection {
  const redis = new (loadIoredis().Redis)(url, { ...failFast, ...o.overrides });
  let everReady = false;
  let down = false;
  // Log the outage once and the recovery once, not every reconnect attempt; an 'error' listener
  // also keeps ioredis from printing each failure to the console itself.
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    o.logger.warn('redis unreachable; reconnecting in the background', { connection: o.name, error: err.message });
  });
  redis.on('ready', () => {
    if (down) o.logger.info('redis reachable again', { connection: o.name });
    down = false;
    if (everReady) o.onReconnect?.();
    everReady = true;
  });
  const firstConnection = new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, FIRST_CONNECTION_WAIT_MS);
    timer.unref();
    redis.once('ready', done);
  });
  return { redis, firstConnection };
}
