import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import { contexts as didContexts } from 'did-context';
import clrContext from './contexts/clr-v2p0-context-2.0.1.json' with { type: 'json' };
import openBadgesContext from './contexts/ob-v3p0-context-3.0.3.json' with { type: 'json' };

export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
/** 1EdTech's OB 3.0 context, copied verbatim from the specification repository (ob_v3p0/context-3.0.3.json). */
export const OB_V3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
/** 1EdTech's CLR 2.0 context, copied verbatim as 1EdTech's own validator (digital-credentials-public-validator) bundled it. */
export const CLR_V2_CONTEXT = 'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json';
export const DID_V1_CONTEXT = 'https://www.w3.org/ns/did/v1';
export const MULTIKEY_V1_CONTEXT = 'https://w3id.org/security/multikey/v1';

/** Every JSON-LD context a credential, a status list or a DID document of ours may name, bundled: nothing is fetched. */
export const bundledContexts: ReadonlyMap<string, object> = new Map<string, object>([
  ...credentialsContexts,
  ...dataIntegrityContexts,
  ...multikeyContexts,
  ...didContexts,
  [OB_V3_CONTEXT, openBadgesContext],
  [CLR_V2_CONTEXT, clrContext],
]);
