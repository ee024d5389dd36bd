/**
 * LinkedIn's "add a licence or certification" link, filled in: the learner
 * follows it signed in to LinkedIn and saves. Months are 1-12; the
 * certificate URL is the credential's page, its id the credential's id.
 */
export function linkedInAddUrl(input: { name: string; organizationName: string; issuedAt: Date; expiresAt: Date | null; certUrl: string; certId: string }): string {
  const params = new URLSearchParams({
    startTask: 'CERTIFICATION_NAME',
    name: input.name,
    organizationName: input.organizationName,
    issueYear: String(input.issuedAt.getUTCFullYear()),
    issueMonth: String(input.issuedAt.getUTCMonth() + 1),
  });
  if (input.expiresAt) {
    params.set('expirationYear', String(input.expiresAt.getUTCFullYear()));
    params.set('expirationMonth', String(input.expiresAt.getUTCMonth() + 1));
  }
  params.set('certUrl', input.certUrl);
  params.set('certId', input.certId);
  return `https://www.linkedin.com/profile/add?${params.toString()}`;
}
