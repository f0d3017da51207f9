import { BlockList, isIP } from 'node:net';

/**
 * Which reverse proxies in front of the server are trusted: how many hops (`true` is one), or
 * their addresses and CIDR ranges. Clients write X-Forwarded-For too, so only the entries our own
 * proxies appended count.
 */
export type TrustProxy = boolean | number | readonly string[];

export type ProxyTrust = { kind: 'hops'; hops: number } | { kind: 'list'; proxies: BlockList };

/** A proxy address or CIDR range (`10.0.0.0/8`, `fd00::/8`, `192.0.2.7`), or null when it is not one. */
export function parseProxyAddress(entry: string): { address: string; prefix: number | null; family: 'ipv4' | 'ipv6' } | null {
  const [address = '', prefix, ...rest] = entry.trim().split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return null;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  if (prefix === undefined) return { address, prefix: null, family };
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!(bits >= 0 && bits <= (version === 4 ? 32 : 128))) return null;
  return { address, prefix: bits, family };
}

export function proxyTrust(setting: TrustProxy | undefined): ProxyTrust {
  if (setting === undefined || setting === false) return { kind: 'hops', hops: 0 };
  if (setting === true) return { kind: 'hops', hops: 1 };
  if (typeof setting === 'number') return { kind: 'hops', hops: Math.max(0, Math.floor(setting)) };
  const proxies = new BlockList();
  for (const entry of setting) {
    const parsed = parseProxyAddress(entry);
    if (!parsed) throw new Error(`not a proxy address or CIDR range: ${entry}`);
    if (parsed.prefix === null) proxies.addAddress(parsed.address, parsed.family);
    else proxies.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return { kind: 'list', proxies };
}

/** `::ffff:192.0.2.7` (an IPv4 client on a dual-stack socket) → `192.0.2.7`. */
function plain(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function trusted(proxies: BlockList, address: string): boolean {
  const bare = plain(address);
  const version = isIP(bare);
  return version !== 0 && proxies.check(bare, version === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The client's address: the socket's, or the address the nearest trusted proxy saw. Each proxy
 * appends the address it received the request from, so with n trusted hops that is the n-th
 * entry from the right; with a list, the rightmost entry that is not one of our proxies.
 */
export function clientAddressFrom(trust: ProxyTrust, socketAddress: string | null, forwardedFor: string | undefined): string {
  const socket = socketAddress ? plain(socketAddress) : null;
  const entries = (forwardedFor ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0) return socket ?? 'local';
  if (trust.kind === 'hops') {
    if (trust.hops === 0) return socket ?? 'local';
    // Fewer entries than hops: the request joined the chain behind the outer proxy.
    return plain(entries[Math.max(0, entries.length - trust.hops)]!);
  }
  if (!socket || !trusted(trust.proxies, socket)) return socket ?? 'local';
  for (let i = entries.length - 1; i >= 0; i--) {
    if (!trusted(trust.proxies, entries[i]!)) return plain(entries[i]!);
  }
  return plain(entries[0]!);
}
