import type { Socket } from 'node:net';
import type { Context } from 'hono';
import type { AppEnv } from '../app.ts';

/** 127.0.0.0/8, ::1 (also as ::ffff:127.x and [::1]) and the name localhost. */
export function isLoopback(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/^::ffff:/i, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/**
 * The origin of every link Homeroom mails or prints (reset links, letters): PUBLIC_URL, or on a
 * loopback listener (development) http://localhost:<port>. Never the request's Host or
 * X-Forwarded-Host, which whoever sends the request writes.
 */
export function publicOrigin(c: Context<AppEnv>): string {
  const configured = c.get('deps').config.publicUrl;
  if (configured) return configured;
  const socket = (c.env as { incoming?: { socket?: Socket } } | undefined)?.incoming?.socket;
  if (socket?.localAddress && socket.localPort && isLoopback(socket.localAddress)) return `http://localhost:${socket.localPort}`;
  throw new Error('no link can be made: PUBLIC_URL is not set and the server is not listening on a loopback address');
}
