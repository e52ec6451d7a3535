// wasi:sockets with every operation refused: no guest gets network access (no grant exists yet).
// The interfaces are present because some toolchains link them whether or not the function uses
// the network (componentize-py's libc does); a guest that tries gets a clean error, not a trap.

const accessDenied = { payload: 'access-denied' } as const;
const lookupFailed = { payload: 'permanent-resolver-failure' } as const;

export class Network {}
export class TcpSocket {}
export class UdpSocket {}
export class IncomingDatagramStream {}
export class OutgoingDatagramStream {}
export class ResolveAddressStream {}

const network = new Network();

export const socketImports = {
  'wasi:sockets/network': { Network },
  'wasi:sockets/instance-network': { instanceNetwork: () => network },
  'wasi:sockets/tcp': { TcpSocket },
  'wasi:sockets/tcp-create-socket': {
    createTcpSocket(): never {
      throw accessDenied;
    },
  },
  'wasi:sockets/udp': { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream },
  'wasi:sockets/udp-create-socket': {
    createUdpSocket(): never {
      throw accessDenied;
    },
  },
  'wasi:sockets/ip-name-lookup': {
    ResolveAddressStream,
    resolveAddresses(): never {
      throw lookupFailed;
    },
  },
};
