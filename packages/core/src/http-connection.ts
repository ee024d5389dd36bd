import { Pool, type Dispatcher } from 'undici';

/** What a server answered: its status, its whole body as text, and how long it says the answer may be kept. */
export interface HttpAnswer {
  status: number;
  text: string;
  /** Its Cache-Control header, when it sent one. */
  cacheControl?: string;
}

/** A call abandoned at its deadline: the server did not answer in full within the time it is given. */
export class HttpTimeout extends Error {
  override readonly name = 'TimeoutError';
  readonly code = 'CALL_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`No complete answer within ${timeoutMs} ms; the call was abandoned.`);
  }
}

/**
 * Keep-alive connections to one server (the gateway's to a subgraph, a
 * service's to the gateway), and one POST at a time over each
 * (undici's Pool, without the WHATWG fetch layer: no Request/Response
 * objects, web streams or abort signals per call). The JSON body goes out in
 * one write with its headers; the answer is collected as it arrives.
 */
export class HttpConnection {
  readonly #pool: Pool;
  readonly #path: string;

  constructor(url: string) {
    const parsed = new URL(url);
    this.#path = `${parsed.pathname}${parsed.search}`;
    // Unlimited connections, as fetch's global agent has: a slow call never queues a fast one behind it.
    this.#pool = new Pool(parsed.origin, { connections: null, pipelining: 1 });
  }

  /**
   * POSTs `body` and resolves with the whole answer, or rejects on a
   * transport failure, or with HttpTimeout once `timeoutMs` has passed
   * without the whole answer: the deadline covers connecting, the headers and
   * the body alike, so a server that sends headers and then stalls is
   * abandoned all the same (its connection is closed).
   */
  post(headers: Record<string, string>, body: string, timeoutMs: number): Promise<HttpAnswer> {
    return new Promise<HttpAnswer>((resolve, reject) => {
      const call = new HttpCall(resolve, reject);
      call.deadline = setTimeout(() => call.abandon(new HttpTimeout(timeoutMs)), timeoutMs);
      try {
        this.#pool.dispatch({ path: this.#path, method: 'POST', headers, body }, call);
      } catch (error) {
        call.onError(error as Error);
      }
    });
  }

  /** Closes every connection; calls still out fail. */
  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}

/** One call's undici handler: collects the answer, settles once, and closes the connection when abandoned. */
class HttpCall implements Dispatcher.DispatchHandlers {
  deadline: ReturnType<typeof setTimeout> | undefined;
  #settled = false;
  #abort: ((error?: Error) => void) | undefined;
  #abandonedWith: Error | undefined;
  #status = 0;
  #cacheControl: string | undefined;
  #chunks: Buffer[] = [];

  constructor(
    private readonly resolve: (answer: HttpAnswer) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  abandon(error: Error): void {
    this.#abandonedWith = error;
    this.onError(error);
    // Not yet on a connection: it is aborted as soon as it gets one.
    this.#abort?.(error);
  }

  onConnect(abort: (error?: Error) => void): void {
    if (this.#abandonedWith) return abort(this.#abandonedWith);
    this.#abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    // 1xx are interim answers; the final one follows.
    if (statusCode < 200) return true;
    this.#status = statusCode;
    // Names and values alternate; only Cache-Control is read.
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = rawHeaders[i]!;
      if (name.length === 13 && name.toString('latin1').toLowerCase() === 'cache-control') this.#cacheControl = rawHeaders[i + 1]!.toString('latin1');
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (!this.#settled) this.#chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.#settled) return;
    this.#settle();
    const bytes = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
    this.#chunks = [];
    let text = bytes.toString('utf8');
    // As fetch's text() does: a byte order mark is not part of the JSON.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    this.resolve(this.#cacheControl === undefined ? { status: this.#status, text } : { status: this.#status, text, cacheControl: this.#cacheControl });
  }

  onError(error: Error): void {
    if (this.#settled) return;
    this.#settle();
    this.#chunks = [];
    this.reject(error);
  }

  #settle(): void {
    this.#settled = true;
    clearTimeout(this.deadline);
  }
}
