// A bot check for lead forms that costs a person nothing: a honeypot field and an optional minimum fill time.

/** The honeypot field's name: a field a person never sees or reaches, which form-filling bots fill in. */
export const HONEYPOT_FIELD = 'website';

/**
 * Starts a form's bot check; call it when the form is first shown. Options: `honeypot`
 * (default true: a filled HONEYPOT_FIELD is a bot), `minFillMs` (default 0, off: a
 * submit sooner than this after the form was shown is a bot), `now` (the clock, default
 * Date.now; tests pass their own). A form shows a caught submission the normal success
 * and stores nothing. It stops bots that fill forms, not one that posts to the sync
 * endpoint itself: the server's limits are the other half.
 * @returns {{honeypot: boolean, caught(honeypotValue?: string): 'honeypot' | 'too_fast' | null}}
 */
export function createBotCheck({ honeypot = true, minFillMs = 0, now = Date.now } = {}) {
  const shownAt = now();
  return {
    honeypot,
    /** Why a submit with this honeypot value looks like a bot's, or null for a person's. */
    caught(honeypotValue = '') {
      if (honeypot && typeof honeypotValue === 'string' && honeypotValue !== '') return 'honeypot';
      if (minFillMs > 0 && now() - shownAt < minFillMs) return 'too_fast';
      return null;
    },
  };
}
