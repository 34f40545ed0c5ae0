/**
 * Who a request comes from, as a rate-limit key. By default the TCP peer: a header any client can
 * write is never believed. Behind a proxy, `trustedHeader` names the header the proxy sets
 * (`x-forwarded-for`, `x-real-ip`, `cf-connecting-ip`...) and `hops` how many proxies stand in
 * front. Each proxy appends the address it received from to X-Forwarded-For, so the client is the
 * `hops`-th entry from the right; what lies further left was written by the client and is ignored.
 */
import { isIP } from 'node:net';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

export interface ClientIpOptions {
  trustedHeader?: string;
  hops?: number;
}

/** Shared by every request whose address can't be known (no socket, as in `app.request()`). */
const UNKNOWN = 'unknown';

export function clientIp({ trustedHeader, hops = 1 }: ClientIpOptions = {}): (c: Context) => string {
  return (c) => {
    const forwarded = trustedHeader ? fromHeader(c.req.header(trustedHeader), hops) : undefined;
    return ipKey(forwarded ?? socketAddress(c) ?? UNKNOWN);
  };
}

function fromHeader(value: string | undefined, hops: number): string | undefined {
  if (!value) return undefined;
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  // Fewer entries than proxies: all of them were written by proxies, so the first is the client.
  const entry = entries[Math.max(0, entries.length - hops)];
  return entry && isIP(entry) ? entry : undefined;
}

function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/**
 * One key per IPv4 address and per IPv6 /64: one home or phone gets a whole /64, so counting
 * single IPv6 addresses would hand every client 2^64 budgets.
 */
export function ipKey(ip: string): string {
  const address = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return mapped;
  if (isIP(address) !== 6) return address;
  const [head = '', tail] = address.split('::');
  const groups = (part: string) => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${all.slice(0, 4).map((g) => Number.parseInt(g, 16).toString(16)).join(':')}::/64`;
}
