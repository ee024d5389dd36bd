import type { TokenFactory, Who } from './tokens.ts';

// Tests read response fields without declaring each response's shape: `any` is the seam between JSON and assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string; [key: string]: unknown } }>;
  headers: Headers;
}

/** Posts GraphQL to one endpoint as someone (a role's demo persona, explicit claims, a raw token) or as the public. */
export class GraphClient {
  constructor(
    readonly url: string,
    private readonly tokens: TokenFactory,
    private readonly defaultHeaders: Record<string, string> = {},
  ) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as GraphQLResponse
  async query<T = Record<string, any>>(
    query: string,
    options: { as?: Who; token?: string; variables?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ): Promise<GraphQLResponse<T>> {
    const token = options.token ?? (options.as ? await this.tokens.tokenFor(options.as) : undefined);
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...this.defaultHeaders,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...options.headers,
      },
      body: JSON.stringify({ query, variables: options.variables }),
    });
    const text = await response.text();
    let body: { data?: T; errors?: GraphQLResponse['errors'] } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = { errors: [{ message: `non-JSON response: ${text.slice(0, 200)}` }] };
    }
    return { status: response.status, data: body.data, errors: body.errors, headers: response.headers };
  }

  /** Like query, but fails the test on any error and returns data. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as GraphQLResponse
  async ok<T = Record<string, any>>(query: string, options: Parameters<GraphClient['query']>[1] = {}): Promise<T> {
    const response = await this.query<T>(query, options);
    if (response.errors?.length || !response.data) {
      throw new Error(`GraphQL errors (HTTP ${response.status}): ${JSON.stringify(response.errors, null, 2)}`);
    }
    return response.data;
  }
}

/** The codes of a response's errors, for terse assertions. */
export const codesOf = (response: GraphQLResponse): string[] => (response.errors ?? []).map((e) => String(e.extensions?.code));
