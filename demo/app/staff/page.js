// The staff page: sign in, then the tenant's leads live from the change feed, readable offline.
import { StaffLeads } from './StaffLeads.js';

export const metadata = { title: 'Acme Widgets: leads (staff)', robots: { index: false } };

export default function Staff() {
  return (
    <div className="staff">
      <h1>Leads</h1>
      <StaffLeads />
    </div>
  );
}
