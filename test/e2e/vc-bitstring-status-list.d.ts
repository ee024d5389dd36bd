// @digitalbazaar/vc-bitstring-status-list ships JavaScript without type declarations; this names only what the tests call.
declare module '@digitalbazaar/vc-bitstring-status-list' {
  export function checkStatus(options: {
    credential: object;
    documentLoader: (url: string) => Promise<{ contextUrl: null; documentUrl: string; document: object }>;
    suite?: unknown;
    verifyBitstringStatusListCredential?: boolean;
    verifyMatchingIssuers?: boolean;
  }): Promise<{ verified: boolean; error?: unknown; results?: Array<{ verified: boolean; status: boolean; credentialStatus: object }> }>;
}
