'use client';
// The staff page's client side: sign-in, the tenant's leads from the feed's local replica (search, date filter), sign-out.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLeadOutbox, useLeads } from 'lead-outbox/react';
import { registerOfflineCache } from '../offlineCache.js';
import { useLeadExtras } from './leadExtras.js';

// The signed-in device's feed token, kept so the page opens offline: {token, expiresAt, tenantId, staffId}.
const SESSION_KEY = 'lead-outbox-demo-staff';
const FEED_URL = '/api/leads/feed';
const DAY_MS = 24 * 60 * 60 * 1000;
const RANGES = [['all', 'Any time'], ['today', 'Today'], ['7', 'Last 7 days'], ['30', 'Last 30 days']];
const FEED_TEXT = {
  off: 'Not following the feed',
  connecting: 'Connecting…',
  live: 'Live',
  offline: 'Offline: these are the leads kept on this device',
  failing: 'The server cannot be reached; retrying',
  auth_error: 'Signed out by the server: sign in again for new leads',
};

const readSession = () => {
  try {
    return JSON.parse(localStorage.getItem(SESSION_KEY));
  } catch {
    return null;
  }
};
const saveSession = (s) => localStorage.setItem(SESSION_KEY, JSON.stringify(s));

export function StaffLeads() {
  const [session, setSession] = useState(undefined); // undefined until read on the client
  useEffect(() => {
    setSession(readSession());
    registerOfflineCache();
  }, []);
  if (session === undefined) return <p>Loading…</p>;
  if (!session?.token) return <SignIn onSignedIn={setSession} />;
  return <Leads session={session} onSession={setSession} />;
}

function SignIn({ onSignedIn, again = false }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/staff/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ password: new FormData(event.currentTarget).get('password') }),
      });
      if (!res.ok) throw new Error(res.status === 401 ? 'That password is not right.' : `The server answered ${res.status}.`);
      const session = await res.json();
      saveSession(session);
      onSignedIn(session);
    } catch (err) {
      setError(err instanceof TypeError ? 'Signing in needs the network.' : err.message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="staff-sign-in" onSubmit={submit}>
      <p>{again ? 'Your session ended. Sign in again to receive new leads.' : 'Staff only: sign in to see the leads.'}</p>
      <label htmlFor="staff-password">Staff password</label>
      <input id="staff-password" name="password" type="password" autoComplete="current-password" required />
      <button type="submit" disabled={busy}>Sign in</button>
      {error && <p className="staff-error" role="alert">{error}</p>}
    </form>
  );
}

function Leads({ session, onSession }) {
  // The store keeps this device's replica of the tenant's leads (its own local name:
  // the site's visitor outbox of the same tenant is another store).
  const { store, status, error } = useLeadOutbox(`${session.tenantId}-staff`, { autoSync: false });
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const [generation, setGeneration] = useState(0); // a new sign-in restarts the feed

  // The feed asks for a token when it starts and after a 401: the kept one while it is
  // valid, else a fresh one from the session cookie; null (the session is gone) stops it.
  const getToken = useCallback(async ({ expired } = {}) => {
    const kept = sessionRef.current;
    if (kept.token !== expired && kept.expiresAt - 30_000 > Date.now()) return kept.token;
    const res = await fetch('/api/staff/token', { method: 'POST' }); // offline: throws, and the feed retries
    if (res.status === 401) return null;
    if (!res.ok) throw new Error(`The token route answered ${res.status}.`);
    const fresh = await res.json();
    saveSession(fresh);
    sessionRef.current = fresh;
    return fresh.token;
  }, []);

  useEffect(() => {
    if (!store) return undefined;
    const follow = () => store.startFeed({ url: FEED_URL, getToken });
    follow();
    // The network gone or back: follow again at once, which drops a held request that
    // would otherwise hang until its timeout, and skips the rest of a retry backoff.
    window.addEventListener('online', follow);
    window.addEventListener('offline', follow);
    return () => {
      window.removeEventListener('online', follow);
      window.removeEventListener('offline', follow);
      store.stopFeed();
    };
  }, [store, getToken, generation]);

  const [filter, setFilter] = useState({ search: '', range: 'all', since: 0 });
  const rows = useLeads(store, { search: filter.search.trim(), since: filter.since });
  const extras = useLeadExtras(store);

  async function signOut() {
    await store?.signOut(); // erases the replica from this device
    localStorage.removeItem(SESSION_KEY);
    fetch('/api/staff/session', { method: 'DELETE' }).catch(() => {});
    onSession(null);
  }

  if (error) return <p className="staff-error" role="alert">The leads cannot be shown here: {error.message}</p>;
  const { feed } = status;
  return (
    <>
      <p className="staff-feed" role="status" data-feed-state={feed.state}>
        {FEED_TEXT[feed.state] ?? feed.state}
        {feed.lastChangeAt ? ` · last change ${new Date(feed.lastChangeAt).toLocaleTimeString()}` : ''}
      </p>
      {feed.state === 'auth_error' && (
        <SignIn again onSignedIn={(s) => { onSession(s); setGeneration((g) => g + 1); }} />
      )}
      <div className="staff-filters">
        <label>Search <input type="search" value={filter.search} placeholder="Name, email or message"
          onChange={(e) => setFilter({ ...filter, search: e.target.value })} /></label>
        <label>Submitted <select value={filter.range} onChange={(e) => setFilter({ ...filter, range: e.target.value, since: sinceOf(e.target.value) })}>
          {RANGES.map(([value, text]) => <option key={value} value={value}>{text}</option>)}
        </select></label>
        <button type="button" onClick={signOut}>Sign out</button>
      </div>
      {rows === undefined ? <p>Opening the leads on this device…</p> : (
        <>
          <p id="staff-count">{rows.length} {rows.length === 1 ? 'lead' : 'leads'}</p>
          <table className="staff-leads">
            <thead><tr><th>Name</th><th>Email</th><th>Phone</th><th>Message</th>{extras.columns.map((c) => <th key={c.key}>{c.title}</th>)}<th>Received</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-lead-id={r.id}>
                  <td>{r.name}</td><td>{r.email}</td><td>{r.phone}</td><td>{r.message}</td>
                  {extras.cells(r.id).map((text, i) => <td key={extras.columns[i].key}>{text}</td>)}
                  <td>{new Date(r.receivedAt).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

// The filter's lower bound on a lead's createdAt, fixed when the choice is made (a bound
// recomputed on every render would change the live query's parameters each time).
function sinceOf(range) {
  if (range === 'all') return 0;
  if (range === 'today') return new Date().setHours(0, 0, 0, 0);
  return Date.now() - Number(range) * DAY_MS;
}
