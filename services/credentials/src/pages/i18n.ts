import type { Check, CheckName } from '@tauliah/credentials-vc';

/** The languages the human-facing pages speak: Malay first (the national language), then English. */
export const LANGS = ['ms', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/**
 * The page's language: `?lang=ms|en` when given (the switch links), else the
 * first of the Accept-Language ranges (by q) that we speak, else Malay.
 */
export function pickLang(query: string | null, acceptLanguage: string | undefined): Lang {
  if (query === 'ms' || query === 'en') return query;
  const ranges = (acceptLanguage ?? '')
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { primary: tag.split('-')[0]!, q: q === undefined ? 1 : Number(q), order };
    })
    .filter((r) => r.primary && r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { primary } of ranges) {
    if (primary === 'ms' || primary === 'zsm' || primary === 'may') return 'ms';
    if (primary === 'en') return 'en';
  }
  return 'ms';
}

const MONTHS: Record<Lang, string[]> = {
  ms: ['Januari', 'Februari', 'Mac', 'April', 'Mei', 'Jun', 'Julai', 'Ogos', 'September', 'Oktober', 'November', 'Disember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** A date as people write it ("1 Jun 2025" / "1 June 2025"), in Malaysia's time zone so a midnight issuance does not show the day before. */
export function formatDate(date: Date, lang: Lang): string {
  const myt = new Date(date.getTime() + 8 * 3600_000);
  return `${myt.getUTCDate()} ${MONTHS[lang][myt.getUTCMonth()]} ${myt.getUTCFullYear()}`;
}

export interface Strings {
  langName: string;
  otherLangLabel: string;
  skip: string;
  siteName: string;
  credentialTitle: string;
  verified: string;
  notVerified: string;
  verifiedLead: string;
  notVerifiedLead: string;
  revoked: string;
  revokedLead: string;
  suspended: string;
  suspendedLead: string;
  expired: string;
  expiredLead: (date: string) => string;
  replaced: string;
  replacedLead: string;
  replacedLink: string;
  reason: string;
  checksHeading: string;
  checkedAt: (when: string) => string;
  passed: string;
  failed: string;
  technical: string;
  holder: string;
  holderHidden: string;
  achievement: string;
  description: string;
  outcomes: string;
  skills: string;
  credits: string;
  creditsValue: (n: number) => string;
  mqfLevel: string;
  mqfValue: (n: number) => string;
  code: string;
  issuer: string;
  mqaRegistration: string;
  mqaNotStored: string;
  issuerStandingBad: string;
  issued: string;
  expires: string;
  noExpiry: string;
  downloads: string;
  downloadJsonLd: string;
  downloadJwt: string;
  downloadBadge: string;
  downloadQr: string;
  linkedin: string;
  qrHeading: string;
  qrAlt: string;
  qrHelp: string;
  sharedVia: (until: string) => string;
  notAvailableTitle: string;
  notAvailable: string;
  checkFileLink: string;
  verifyTitle: string;
  verifyLead: string;
  verifyField: string;
  verifyFileField: string;
  verifyHelp: (kib: number) => string;
  verifySubmit: string;
  verifyNothingStored: string;
  verifyResult: string;
  verifyTooLarge: (kib: number) => string;
  verifyEmpty: string;
  verifyUnreadable: string;
  verifyFormat: (format: string) => string;
  verifyAnother: string;
  checks: Record<CheckName, { passed: string; failed: string }>;
}

const ms: Strings = {
  langName: 'Bahasa Melayu',
  otherLangLabel: 'English',
  skip: 'Langkau ke kandungan',
  siteName: 'Tauliah',
  credentialTitle: 'Kelayakan',
  verified: 'Disahkan',
  notVerified: 'Tidak disahkan',
  verifiedLead: 'Kelayakan ini tulen dan sah sekarang: setiap semakan di bawah lulus.',
  notVerifiedLead: 'Kelayakan ini tidak boleh dipercayai sekarang: lihat semakan yang gagal di bawah.',
  revoked: 'DIBATALKAN',
  revokedLead: 'Penerbit telah membatalkan kelayakan ini. Ia tidak lagi sah.',
  suspended: 'DIGANTUNG',
  suspendedLead: 'Penerbit telah menggantung kelayakan ini buat sementara. Ia tidak sah sehingga dipulihkan.',
  expired: 'TAMAT TEMPOH',
  expiredLead: (date) => `Kelayakan ini tamat tempoh pada ${date}.`,
  replaced: 'DIGANTIKAN',
  replacedLead: 'Kelayakan ini telah diperbaharui: kelayakan baharu menggantikannya.',
  replacedLink: 'Lihat kelayakan yang menggantikannya',
  reason: 'Sebab',
  checksHeading: 'Semakan',
  checkedAt: (when) => `Disemak secara langsung pada ${when}, dengan kod yang sama seperti verifyCredential.`,
  passed: 'Lulus',
  failed: 'Gagal',
  technical: 'Butiran teknikal',
  holder: 'Pemegang',
  holderHidden: 'Nama pemegang tidak dipaparkan.',
  achievement: 'Pencapaian',
  description: 'Penerangan',
  outcomes: 'Hasil pembelajaran',
  skills: 'Kemahiran',
  credits: 'Kredit',
  creditsValue: (n) => `${n} kredit MQA`,
  mqfLevel: 'Tahap MQF',
  mqfValue: (n) => `Tahap ${n}`,
  code: 'Kod kursus',
  issuer: 'Penerbit',
  mqaRegistration: 'Pendaftaran MQA',
  mqaNotStored: 'Tidak direkodkan dalam kelayakan ini.',
  issuerStandingBad: 'Penerbit ini telah digantung oleh platform. Kelayakan yang dikeluarkannya semasa berdiri baik kekal sah; pengesahan di halaman ini menunjukkan sama ada kelayakan ini salah satunya.',
  issued: 'Tarikh dikeluarkan',
  expires: 'Tarikh tamat',
  noExpiry: 'Tiada tarikh tamat',
  downloads: 'Muat turun',
  downloadJsonLd: 'Dokumen bertandatangan (JSON-LD)',
  downloadJwt: 'Dokumen bertandatangan (VC-JWT)',
  downloadBadge: 'Imej lencana (SVG, mengandungi kelayakan)',
  downloadQr: 'Kod QR (SVG, untuk dicetak)',
  linkedin: 'Tambah ke profil LinkedIn',
  qrHeading: 'Kod QR',
  qrAlt: 'Kod QR ke alamat halaman ini',
  qrHelp: 'Imbas untuk membuka halaman ini. Cetak kod ini pada sijil supaya sesiapa boleh menyemaknya.',
  sharedVia: (until) => `Anda melihat halaman ini melalui pautan kongsi daripada pemegang, sah hingga ${until}.`,
  notAvailableTitle: 'Kelayakan tidak tersedia',
  notAvailable:
    'Tiada kelayakan awam dengan alamat ini. Jika anda diberi pautan oleh pemegangnya, pastikan pautan itu lengkap dan belum tamat tempoh atau dibatalkan.',
  checkFileLink: 'Semak fail kelayakan',
  verifyTitle: 'Semak fail kelayakan',
  verifyLead: 'Tampal kelayakan yang anda terima (JSON-LD atau VC-JWT) atau pilih failnya, dan lihat semakan yang sama seperti pada halaman kelayakan.',
  verifyField: 'Kelayakan (JSON-LD atau VC-JWT)',
  verifyFileField: 'Atau pilih fail (.json, .jwt, .txt, atau lencana .svg)',
  verifyHelp: (kib) => `Paling banyak ${kib} KiB.`,
  verifySubmit: 'Semak',
  verifyNothingStored: 'Tiada apa yang disimpan: fail hanya disemak lalu dibuang.',
  verifyResult: 'Keputusan',
  verifyTooLarge: (kib) => `Fail ini melebihi ${kib} KiB dan tidak disemak.`,
  verifyEmpty: 'Tampal kelayakan atau pilih fail dahulu.',
  verifyUnreadable: 'Ini bukan kelayakan JSON-LD atau VC-JWT yang boleh dibaca.',
  verifyFormat: (format) => `Format: ${format}`,
  verifyAnother: 'Semak fail lain',
  checks: {
    PROOF: { passed: 'Tandatangan sah: dokumen tidak diubah sejak ditandatangani.', failed: 'Tandatangan tidak sah: dokumen telah diubah atau bukan ditandatangani oleh penerbit.' },
    ISSUER_KEY: { passed: 'Ia ditandatangani dengan kunci milik penerbit.', failed: 'Kunci yang menandatanganinya bukan milik penerbit.' },
    KEY_STANDING: { passed: 'Kunci penerbit tidak dilaporkan terjejas.', failed: 'Kunci yang menandatanganinya dilaporkan terjejas, dan rekod penerbit tidak menunjukkan kelayakan ini dikeluarkan sebelum itu.' },
    ISSUER_KNOWN: { passed: 'Penerbit ialah penyedia yang dikenali platform ini dan berdiri baik.', failed: 'Penerbit tidak dikenali platform ini, atau tidak lagi berdiri baik.' },
    VALIDITY: { passed: 'Ia dalam tempoh sahnya.', failed: 'Ia di luar tempoh sahnya (tamat tempoh, atau belum bermula).' },
    STATUS: { passed: 'Penerbit tidak membatalkan atau menggantungnya.', failed: 'Penerbit telah membatalkan atau menggantungnya, atau statusnya tidak dapat disemak.' },
  },
};

const en: Strings = {
  langName: 'English',
  otherLangLabel: 'Bahasa Melayu',
  skip: 'Skip to content',
  siteName: 'Tauliah',
  credentialTitle: 'Credential',
  verified: 'Verified',
  notVerified: 'Not verified',
  verifiedLead: 'This credential is genuine and valid now: every check below passed.',
  notVerifiedLead: 'This credential cannot be relied on now: see the failed checks below.',
  revoked: 'REVOKED',
  revokedLead: 'The issuer has revoked this credential. It is no longer valid.',
  suspended: 'SUSPENDED',
  suspendedLead: 'The issuer has suspended this credential for now. It is not valid until reinstated.',
  expired: 'EXPIRED',
  expiredLead: (date) => `This credential expired on ${date}.`,
  replaced: 'REPLACED',
  replacedLead: 'This credential was renewed: a newer credential replaces it.',
  replacedLink: 'See the credential that replaces it',
  reason: 'Reason',
  checksHeading: 'Checks',
  checkedAt: (when) => `Checked live at ${when}, by the same code as verifyCredential.`,
  passed: 'Passed',
  failed: 'Failed',
  technical: 'Technical details',
  holder: 'Holder',
  holderHidden: "The holder's name is not shown.",
  achievement: 'Achievement',
  description: 'Description',
  outcomes: 'Learning outcomes',
  skills: 'Skills',
  credits: 'Credits',
  creditsValue: (n) => `${n} MQA credits`,
  mqfLevel: 'MQF level',
  mqfValue: (n) => `Level ${n}`,
  code: 'Course code',
  issuer: 'Issuer',
  mqaRegistration: 'MQA registration',
  mqaNotStored: 'Not recorded in this credential.',
  issuerStandingBad: 'This issuer has been suspended by the platform. Credentials it issued while in good standing stay valid; the verification on this page shows whether this is one of them.',
  issued: 'Issued',
  expires: 'Expires',
  noExpiry: 'Does not expire',
  downloads: 'Downloads',
  downloadJsonLd: 'Signed document (JSON-LD)',
  downloadJwt: 'Signed document (VC-JWT)',
  downloadBadge: 'Badge image (SVG, carries the credential)',
  downloadQr: 'QR code (SVG, for printing)',
  linkedin: 'Add to LinkedIn profile',
  qrHeading: 'QR code',
  qrAlt: "QR code of this page's address",
  qrHelp: 'Scan to open this page. Print it on a certificate so anyone can check it.',
  sharedVia: (until) => `You are seeing this page through a share link from the holder, valid until ${until}.`,
  notAvailableTitle: 'Credential not available',
  notAvailable:
    'There is no public credential at this address. If its holder gave you a link, check that it is complete and has not expired or been revoked.',
  checkFileLink: 'Check a credential file',
  verifyTitle: 'Check a credential file',
  verifyLead: 'Paste a credential you were sent (JSON-LD or VC-JWT) or choose its file, and see the same checks as on a credential page.',
  verifyField: 'Credential (JSON-LD or VC-JWT)',
  verifyFileField: 'Or choose a file (.json, .jwt, .txt, or a .svg badge)',
  verifyHelp: (kib) => `At most ${kib} KiB.`,
  verifySubmit: 'Check',
  verifyNothingStored: 'Nothing is stored: the file is checked and discarded.',
  verifyResult: 'Result',
  verifyTooLarge: (kib) => `This file is over ${kib} KiB and was not checked.`,
  verifyEmpty: 'Paste a credential or choose a file first.',
  verifyUnreadable: 'This is not a readable JSON-LD or VC-JWT credential.',
  verifyFormat: (format) => `Format: ${format}`,
  verifyAnother: 'Check another file',
  checks: {
    PROOF: { passed: 'The signature is valid: the document has not been changed since it was signed.', failed: 'The signature is not valid: the document was changed, or not signed by the issuer.' },
    ISSUER_KEY: { passed: 'It was signed with a key that belongs to the issuer.', failed: 'The key that signed it does not belong to the issuer.' },
    KEY_STANDING: { passed: "The issuer's key has not been reported compromised.", failed: "The key that signed it was reported compromised, and the issuer's record does not show this credential issued before then." },
    ISSUER_KNOWN: { passed: 'The issuer is a provider this platform knows, in good standing.', failed: 'The issuer is not known to this platform, or is no longer in good standing.' },
    VALIDITY: { passed: 'It is within its period of validity.', failed: 'It is outside its period of validity (expired, or not yet valid).' },
    STATUS: { passed: 'The issuer has neither revoked nor suspended it.', failed: 'The issuer has revoked or suspended it, or its status could not be checked.' },
  },
};

export const STRINGS: Record<Lang, Strings> = { ms, en };

/** The plain-language line of a check, in the page's language; the check's own message stays as the technical detail. */
export function plainCheck(check: Pick<Check, 'check' | 'passed' | 'message'>, lang: Lang): string {
  const t = STRINGS[lang];
  if (!check.passed && check.check === 'STATUS') {
    if (/^Revoked/.test(check.message)) return lang === 'ms' ? 'Penerbit telah membatalkannya.' : 'The issuer has revoked it.';
    if (/^Suspended/.test(check.message)) return lang === 'ms' ? 'Penerbit telah menggantungnya buat sementara.' : 'The issuer has suspended it for now.';
  }
  if (!check.passed && check.check === 'VALIDITY' && /^Expired/.test(check.message)) return lang === 'ms' ? 'Ia telah tamat tempoh.' : 'It has expired.';
  return t.checks[check.check][check.passed ? 'passed' : 'failed'];
}
