import QRCode from 'qrcode';

/**
 * A QR code of `url` as a standalone SVG, for the page and for printing on a
 * certificate: error correction M (readable with a smudge), the four-module
 * quiet zone scanners need, black on white.
 */
export async function qrSvg(url: string): Promise<string> {
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } });
  return svg.trim();
}

/** The same QR as a data: URL for an <img> on the page (no request of its own, nothing from elsewhere). */
export const qrDataUrl = async (url: string): Promise<string> => `data:image/svg+xml;base64,${Buffer.from(await qrSvg(url)).toString('base64')}`;
