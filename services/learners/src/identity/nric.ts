import { createHmac } from 'node:crypto';

/**
 * The NRIC as stored: an HMAC of its digits under the learners' PII_HASH_KEY,
 * which finds a second registration of one person without keeping the number.
 */
export function hashNric(digits: string, key: string): string {
  return createHmac('sha256', key).update(digits).digest('hex');
}
