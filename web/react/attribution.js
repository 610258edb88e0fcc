'use client';
// Attribution from React: records the session's campaign when a page with the form (or <LeadAttribution>) first shows.
import { useEffect } from 'react';
import { captureAttribution, pageEnvironment } from '../src/attribution.js';

/**
 * Records this page's attribution in sessionStorage once it has rendered in the browser
 * (never during server rendering), so that a landing page's utm_* are kept until the
 * visitor submits on another page. `settings` is getStore's `attribution` option.
 */
export function useAttributionCapture(settings) {
  const key = JSON.stringify(settings ?? null);
  useEffect(() => {
    captureAttribution({ ...pageEnvironment(), settings: JSON.parse(key) ?? undefined });
  }, [key]);
}

/**
 * Renders nothing; put it in the site's root layout when visitors may land on pages
 * without the form, so their campaign is kept for the session. `settings` as getStore's
 * `attribution` option.
 */
export function LeadAttribution({ settings }) {
  useAttributionCapture(settings);
  return null;
}
