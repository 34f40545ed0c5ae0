/** Commands the browser tests send to the harness plugin (shared by both sides). */
export type ApiFault = 'none' | 'offline' | 'server-error' | 'malformed' | 'rate-limited';
