// The leads that reached PostgreSQL, read under the demo tenant's row-level security.
import pg from 'pg';

export const dynamic = 'force-dynamic';

let pool;

async function receivedLeads(tenantId) {
  if (!pool) {
    pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2, connectionTimeoutMillis: 5000 });
    // A dropped idle connection (database restart) must not end the site's process.
    pool.on('error', (err) => console.error('[demo] idle database connection failed', err.message));
  }
  const client = await pool.connect();
  let failed = null;
  try {
    await client.query('BEGIN');
    await client.query("SELECT set_config('lead_outbox.tenant_id', $1, true)", [tenantId]);
    const { rows } = await client.query('SELECT id, name, email, received_at FROM lead_outbox.leads WHERE deleted_at IS NULL ORDER BY received_at, id');
    await client.query('COMMIT');
    return rows;
  } catch (err) {
    failed = err;
    throw err;
  } finally {
    client.release(failed ?? undefined); // a failed connection is dropped, not reused mid-transaction
  }
}

export default async function Leads() {
  const rows = await receivedLeads(process.env.LEAD_OUTBOX_TENANT ?? 'demo');
  return (
    <>
      <h1>Leads received by the server</h1>
      <p id="lead-count">{rows.length} {rows.length === 1 ? 'lead' : 'leads'}</p>
      <table>
        <thead><tr><th>Name</th><th>Email</th><th>Received</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}><td>{r.name}</td><td>{r.email}</td><td>{r.received_at.toISOString()}</td></tr>
          ))}
        </tbody>
      </table>
      <p><a href="/">Back to the form</a></p>
    </>
  );
}
