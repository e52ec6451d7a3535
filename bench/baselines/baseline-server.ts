// What every baseline server hands back: the URL to load and a way to stop it.

export interface BaselineServer {
  /** Full URL of the hello endpoint, query included. */
  readonly url: string;
  close(): Promise<void>;
}
