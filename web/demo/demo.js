// The demo page: a lead form over lead-outbox, with the outbox's status and contents.
import { getStore, coreUrls } from '/web/dist/lead-outbox.mjs'; // the browser bundle: one request, no import map

const $ = (id) => document.getElementById(id);
const FIELDS = ['name', 'email', 'phone', 'message'];

const store = await getStore(document.documentElement.dataset.tenant ?? 'demo', { endpoint: '/api/leads/sync', token: document.documentElement.dataset.token });
window.leadOutboxStore = store; // for people poking around in devtools
cacheForOffline();

// Keeps the page working offline: the service worker caches every same-origin resource
// this page loaded (the wasm included, now that the store is open), and a reload without
// network is served from that cache. <html data-offline="ready"> once it is.
async function cacheForOffline() {
  if (!('serviceWorker' in navigator)) return;
  try {
    await navigator.serviceWorker.register('/sw.js');
    const { active } = await navigator.serviceWorker.ready;
    const urls = [location.pathname, ...coreUrls(), ...performance.getEntriesByType('resource').map((e) => e.name)]
      .filter((u) => new URL(u, location.href).origin === location.origin);
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { document.documentElement.dataset.offline = 'ready'; };
    active.postMessage({ type: 'cache', urls }, [channel.port2]);
  } catch (err) {
    console.warn('offline cache not available', err);
  }
}

function render(status) {
  $('connection').dataset.state = status.online ? 'online' : 'offline';
  $('connection').textContent = status.online ? 'Online' : 'Offline — leads are kept on this device';
  const parts = [`${status.pending} pending`];
  if (status.syncing) parts.push('Syncing…');
  if (status.rejected) parts.push(`${status.rejected} rejected`);
  if (!status.pending && !status.rejected && status.synced) parts.push('All leads sent');
  if (status.lastError) parts.push(`Error: ${status.lastError.message}`);
  if (status.nextRetryAt && status.pending) parts.push(`next try ${new Date(status.nextRetryAt).toLocaleTimeString()}`);
  $('status').textContent = parts.join(' · ');
  // "Try again" whenever something waits: after an error, or before the next timed retry.
  $('sync-now').hidden = !status.lastError && !status.rejected && !status.pending;
  $('leads').replaceChildren(...store.listLeads().map((lead) => {
    const li = document.createElement('li');
    li.dataset.status = lead.status;
    li.textContent = `${lead.erased ? '(sent, details erased)' : `${lead.name} <${lead.email}>`} — ${lead.status}` +
      (lead.rejectReason ? ` (${lead.rejectReason})` : '');
    return li;
  }));
}
store.onStatus(render);

$('sync-now').addEventListener('click', () => store.syncPending());
$('submit').disabled = false;
$('lead-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const lead = Object.fromEntries(FIELDS.map((f) => [f, form.elements[f].value]));
  for (const f of FIELDS) $(`${f}-error`).textContent = '';
  $('submit').disabled = true;
  try {
    await store.submitLead(lead);
    form.reset();
    $('form-result').textContent = 'Saved on this device. It will be sent when the network allows.';
  } catch (err) {
    for (const [field, message] of Object.entries(err.fields ?? {})) {
      if ($(`${field}-error`)) $(`${field}-error`).textContent = message;
    }
    $('form-result').textContent = err.code === 'invalid_lead' ? 'Please check the highlighted fields.' : err.message;
  } finally {
    $('submit').disabled = false;
  }
});
