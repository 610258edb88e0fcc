'use client';
// The staff page's client side: sign-in, the tenant's leads from the feed's local replica (search, date filter), staff edits, sign-out.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLeadOutbox, useLeads } from 'lead-outbox/react';
import { registerOfflineCache } from '../offlineCache.js';
import { useLeadExtras } from './leadExtras.js';

// The signed-in device's feed token, kept so the page opens offline: {token, expiresAt, tenantId, staffId}.
const SESSION_KEY = 'lead-outbox-demo-staff';
const FEED_URL = '/api/leads/feed';
const EDITS_URL = '/api/leads/edits';
// The tenant's statuses: the server's default list (the demo sets none of its own).
const STATUSES = ['new', 'contacted', 'qualified', 'won', 'lost'];
const FIELD_NAMES = { status: 'status', owner: 'owner', followUp: 'follow-up date' };
const REASONS = {
  unknown_status: 'that status is not one of the team\'s',
  unknown_owner: 'that owner is not on the team',
  unknown_lead: 'the lead is gone',
  lead_erased: 'the lead was erased',
  author_mismatch: 'it was made under another staff name',
  invalid_edit: 'the server could not read it',
  clock_skew: 'this device\'s clock is too far ahead',
};
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

// A sign-out whose DELETE /api/staff/session has not reached the server (made offline): the
// HttpOnly cookie could still renew tokens, so the page ends it as soon as it can.
const SIGN_OUT_KEY = 'lead-outbox-demo-staff-sign-out';
async function endServerSession() {
  try {
    const res = await fetch('/api/staff/session', { method: 'DELETE' });
    if (res.ok) localStorage.removeItem(SIGN_OUT_KEY);
  } catch {
    // offline: kept for the next 'online' event or visit
  }
}

export function StaffLeads() {
  const [session, setSession] = useState(undefined); // undefined until read on the client
  useEffect(() => {
    setSession(readSession());
    registerOfflineCache();
    const retry = () => { if (localStorage.getItem(SIGN_OUT_KEY)) endServerSession(); };
    retry();
    window.addEventListener('online', retry);
    return () => window.removeEventListener('online', retry);
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
      if (res.status === 429) throw new Error((await res.json().catch(() => null))?.error?.message ?? 'Too many attempts: try again later.');
      if (!res.ok) throw new Error(res.status === 401 ? 'That password is not right.' : `The server answered ${res.status}.`);
      const session = await res.json();
      saveSession(session);
      localStorage.removeItem(SIGN_OUT_KEY); // the new cookie replaced the one a sign-out could not end
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
  const { store, status, error } = useLeadOutbox(`${session.tenantId}-staff`, { staff: true, autoSync: false, staffId: session.staffId });
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
    const follow = () => store.startFeed({ url: FEED_URL, editsUrl: EDITS_URL, getToken });
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
    localStorage.setItem(SIGN_OUT_KEY, '1');
    endServerSession();
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
      <EditsStatus store={store} edits={status.edits} />
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
            <thead><tr><th>Name</th><th>Email</th><th>Phone</th><th>Message</th>{extras.columns.map((c) => <th key={c.key}>{c.title}</th>)}<th>Received</th><th>Status and owner</th><th>Tags and notes</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-lead-id={r.id}>
                  <td>{r.name}</td><td>{r.email}</td><td>{r.phone}</td><td>{r.message}</td>
                  {extras.cells(r.id).map((text, i) => <td key={extras.columns[i].key}>{text}</td>)}
                  <td className="staff-received">{new Date(r.receivedAt).toLocaleString()}</td>
                  <LeadEdits store={store} lead={r} />
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

// How many of this device's edits wait for the server, and the ones it refused, with why.
function EditsStatus({ store, edits }) {
  const [refused, setRefused] = useState([]);
  useEffect(() => {
    if (!store) return;
    setRefused(store.listEdits().filter((e) => e.status === 'rejected'));
  }, [store, edits.rejected]);
  return (
    <div className="staff-edits">
      <p role="status" data-edits-pending={edits.pending}>
        {edits.pending === 0 ? 'All your changes are saved on the server.'
          : `${edits.pending} ${edits.pending === 1 ? 'change' : 'changes'} saved on this device, waiting to reach the server.`}
      </p>
      {refused.length > 0 && (
        <ul className="staff-refused" aria-label="Changes the server refused">
          {refused.map((e) => (
            <li key={e.mutationId} data-refused-reason={e.reason}>
              Your change to a lead ({describeEdit(e.edit)}) was refused: {REASONS[e.reason] ?? e.reason}.{' '}
              <button type="button" onClick={() => store.dismissEdit(e.mutationId)}>Dismiss</button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function describeEdit(edit) {
  const parts = Object.entries(edit.set ?? {}).map(([k, v]) => `${FIELD_NAMES[k] ?? k} ${v ?? 'cleared'}`);
  if (edit.addTags?.length) parts.push(`tag ${edit.addTags.join(', ')}`);
  if (edit.removeTags?.length) parts.push(`untag ${edit.removeTags.join(', ')}`);
  if (edit.note) parts.push('a note');
  return parts.join('; ');
}

// A lead's status, owner, tags and notes, changed here: stored on this device at once (offline
// too) and uploaded by the store. A value of ours that lost to a later one says so.
function LeadEdits({ store, lead }) {
  const [problem, setProblem] = useState(null);
  const edit = async (changes) => {
    setProblem(null);
    try {
      await store.editLead(lead.id, changes);
      return true;
    } catch (err) {
      setProblem(err.message);
      return false;
    }
  };
  // A small form's text, sent as `field` and cleared once saved.
  const textForm = (field, transform = (v) => v) => async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const value = String(new FormData(form).get(field) ?? '').trim();
    if (value && await edit(transform(value))) form.reset();
  };
  const status = lead.status ?? STATUSES[0];
  return (
    <>
      <td className="staff-lead-work">
        <label>Status
          <select value={status} data-field="status" onChange={(e) => edit({ status: e.target.value })}>
            {(STATUSES.includes(status) ? STATUSES : [...STATUSES, status]).map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <form onSubmit={textForm('owner', (owner) => ({ owner }))}>
          <label>Owner <input name="owner" defaultValue="" placeholder={lead.owner ?? 'nobody'} /></label>
          <button type="submit">Set owner</button>
        </form>
        {lead.owner && <p className="staff-owner">Owner: {lead.owner}</p>}
        {Object.entries(lead.overridden ?? {}).map(([field, o]) => (
          <p key={field} className="staff-overridden" data-overridden={field}>
            Your {FIELD_NAMES[field] ?? field} <strong>{String(o.yours ?? 'none')}</strong> was overridden
            by {o.by}&rsquo;s <strong>{String(o.won ?? 'none')}</strong>.
          </p>
        ))}
        {problem && <p className="staff-error" role="alert">{problem}</p>}
      </td>
      <td className="staff-lead-work">
        <ul className="staff-tags" aria-label="Tags">
          {lead.tags.map((t) => (
            <li key={t} data-tag={t}>{t}{' '}
              <button type="button" aria-label={`Remove tag ${t}`} onClick={() => edit({ removeTags: [t] })}>×</button>
            </li>
          ))}
        </ul>
        <form onSubmit={textForm('tag', (t) => ({ addTags: [t] }))}>
          <label>Tag <input name="tag" /></label>
          <button type="submit">Add tag</button>
        </form>
        <ol className="staff-notes" aria-label="Notes">
          {lead.notes.map((n) => <li key={n.id}><span className="staff-note-text">{n.text}</span> <small>{n.author}, {new Date(n.at).toLocaleString()}</small></li>)}
        </ol>
        <form onSubmit={textForm('note', (note) => ({ note }))}>
          <label>Note <textarea name="note" rows={2} /></label>
          <button type="submit">Add note</button>
        </form>
      </td>
    </>
  );
}
