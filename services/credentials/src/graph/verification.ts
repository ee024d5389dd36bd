import { Field, ObjectType, registerEnumType } from 'type-graphql';

export enum CredentialFormat {
  DATA_INTEGRITY = 'DATA_INTEGRITY',
  VC_JWT = 'VC_JWT',
}
registerEnumType(CredentialFormat, {
  name: 'CredentialFormat',
  description: 'How a credential is secured; both are Open Badges 3.0 formats.',
  valuesConfig: {
    DATA_INTEGRITY: { description: 'JSON-LD with an embedded Data Integrity proof (cryptosuite eddsa-rdfc-2022).' },
    VC_JWT: { description: 'A compact JWT (EdDSA) whose payload is the credential.' },
  },
});

export enum VerificationCheckName {
  PROOF = 'PROOF',
  ISSUER_KEY = 'ISSUER_KEY',
  KEY_STANDING = 'KEY_STANDING',
  ISSUER_KNOWN = 'ISSUER_KNOWN',
  VALIDITY = 'VALIDITY',
  STATUS = 'STATUS',
  CREDENTIALS = 'CREDENTIALS',
}
registerEnumType(VerificationCheckName, {
  name: 'VerificationCheckName',
  valuesConfig: {
    PROOF: { description: 'The signature is valid for the document as it is.' },
    ISSUER_KEY: { description: "The signing key is one of the issuer's keys: its current one, or one it signed with before." },
    KEY_STANDING: {
      description:
        "The signing key has not been reported compromised; or it has, and the issuer's record shows exactly this credential issued before the compromise (a signature cannot prove its own time).",
    },
    ISSUER_KNOWN: { description: 'The issuer is a provider this platform knows, in good standing.' },
    VALIDITY: { description: 'Now is within validFrom and validUntil.' },
    STATUS: {
      description:
        "The credential carries its issuer's status entry, and the issuer's status list says neither revoked nor suspended. A learner record (ClrCredential) has no status of its own: what it holds is checked under CREDENTIALS.",
    },
    CREDENTIALS: {
      description:
        'Learner records (CLR 2.0 ClrCredential) only: each credential the record holds verifies on its own, every check passing, and is about the same learner as the record. Each result is in `credentials`.',
    },
  },
});

@ObjectType({ description: 'One check of a verification, passed or not, with why.' })
export class VerificationCheck {
  @Field(() => VerificationCheckName)
  check!: VerificationCheckName;

  @Field(() => Boolean)
  passed!: boolean;

  @Field(() => String)
  message!: string;
}

@ObjectType({ description: 'The outcome of verifying a credential as any third party would: verified only when every check passes.' })
export class CredentialVerification {
  @Field(() => Boolean)
  verified!: boolean;

  @Field(() => CredentialFormat, { nullable: true, description: 'The format the document was in; null when it was neither.' })
  format!: CredentialFormat | null;

  @Field(() => [VerificationCheck])
  checks!: VerificationCheck[];

  @Field(() => String, { nullable: true, description: 'The id the verified document gives itself; null when it was unreadable or gives none.' })
  documentId!: string | null;

  @Field(() => [CredentialVerification], {
    description: 'For a learner record (ClrCredential): each credential it holds, verified on its own, in the record\'s order. Empty for any other credential.',
  })
  credentials!: CredentialVerification[];
}
