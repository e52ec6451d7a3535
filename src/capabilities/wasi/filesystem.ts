// wasi:filesystem with no preopened directories: a guest can never obtain a descriptor,
// so it cannot reach the host's files. The classes exist because the glue checks resources against them.

const accessDenied = { payload: 'access' } as const;

export class Descriptor {
  // Unreachable without a preopen; every method refuses, as a belt to the braces above.
  readViaStream(): never {
    throw accessDenied;
  }
  writeViaStream(): never {
    throw accessDenied;
  }
  appendViaStream(): never {
    throw accessDenied;
  }
  getType(): never {
    throw accessDenied;
  }
  stat(): never {
    throw accessDenied;
  }
  statAt(): never {
    throw accessDenied;
  }
  openAt(): never {
    throw accessDenied;
  }
  readDirectory(): never {
    throw accessDenied;
  }
  getFlags(): never {
    throw accessDenied;
  }
  metadataHash(): never {
    throw accessDenied;
  }
  metadataHashAt(): never {
    throw accessDenied;
  }
}

export class DirectoryEntryStream {
  readDirectoryEntry(): undefined {
    return undefined;
  }
}

export const filesystemImports = {
  'wasi:filesystem/types': { Descriptor, DirectoryEntryStream, filesystemErrorCode: () => undefined },
  'wasi:filesystem/preopens': { getDirectories: () => [] },
};
