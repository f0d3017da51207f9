import { describe, expect, it } from 'vitest';
import { clientAddressFrom, proxyTrust } from './client-address.ts';

describe('clientAddressFrom', () => {
  const oneHop = proxyTrust(true);
  const twoHops = proxyTrust(2);
  const none = proxyTrust(false);
  const list = proxyTrust(['127.0.0.1', '10.0.0.0/8']);

  it.each([
    ['no proxy: the socket, whatever the client wrote', none, '192.0.2.1', '6.6.6.6', '192.0.2.1'],
    ['one hop: what the proxy appended, not what the client wrote', oneHop, '127.0.0.1', '6.6.6.6, 198.51.100.9', '198.51.100.9'],
    ['one hop, one entry', oneHop, '127.0.0.1', '198.51.100.9', '198.51.100.9'],
    ['two hops: the outer proxy’s entry', twoHops, '127.0.0.1', '6.6.6.6, 198.51.100.9, 10.0.0.2', '198.51.100.9'],
    ['two hops, one entry: the oldest', twoHops, '127.0.0.1', '198.51.100.9', '198.51.100.9'],
    ['one hop, no header: the socket', oneHop, '192.0.2.1', undefined, '192.0.2.1'],
    ['one hop, no socket and no header', oneHop, null, undefined, 'local'],
    ['a list: the rightmost entry that is not our proxy', list, '127.0.0.1', '6.6.6.6, 198.51.100.9, 10.1.2.3', '198.51.100.9'],
    ['a list: a socket that is not our proxy is the client', list, '192.0.2.1', '6.6.6.6', '192.0.2.1'],
    ['a list: a dual-stack socket', list, '::ffff:127.0.0.1', '198.51.100.9', '198.51.100.9'],
    ['a list: every entry ours', list, '127.0.0.1', '10.0.0.9, 10.0.0.8', '10.0.0.9'],
  ])('%s', (_what, trust, socket, header, expected) => {
    expect(clientAddressFrom(trust, socket, header)).toBe(expected);
  });

  it('refuses a proxy list entry that is not an address or range', () => {
    expect(() => proxyTrust(['10.0.0.0/33'])).toThrow(/not a proxy address/);
    expect(() => proxyTrust(['proxy.internal'])).toThrow(/not a proxy address/);
  });
});
