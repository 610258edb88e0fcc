'use client';
// The staff page's extra columns: the demo form's own fields (company, budget) and the campaign, when the replica holds them.
import { useEffect, useState } from 'react';
import contactForm from '../contact-form.json';

const DEFAULT_FIELDS = new Set(['name', 'email', 'phone', 'message']);
// The definition's own fields, each with how to show its value (a select's option label).
const CUSTOM = contactForm.fields.filter((f) => !DEFAULT_FIELDS.has(f.name) && f.type !== 'hidden').map((f) => ({
  key: f.name,
  title: f.label ?? f.name,
  show: (v) => (f.type === 'select' ? (f.options.find((o) => o.value === v)?.label ?? v) : v),
}));
const CAMPAIGN = { key: 'utm_campaign', title: 'Campaign', show: (v) => v };

// Whether replica_leads has `column` (older replicas do not): a query naming it fails.
function hasColumn(store, column) {
  try {
    store.query(`SELECT ${column} FROM replica_leads LIMIT 0`);
    return true;
  } catch {
    return false;
  }
}

const parse = (text) => {
  try {
    const value = JSON.parse(text ?? 'null');
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
};

/**
 * {columns, cells(id)}: the columns this replica can fill (none while it has neither
 * `custom` nor `attribution`) and each lead's values for them, kept live.
 */
export function useLeadExtras(store) {
  const [extras, setExtras] = useState({ columns: [], values: new Map() });
  useEffect(() => {
    if (!store) return undefined;
    const custom = hasColumn(store, 'custom');
    const attribution = hasColumn(store, 'attribution');
    const columns = [...(custom ? CUSTOM : []), ...(attribution ? [CAMPAIGN] : [])];
    if (columns.length === 0) return undefined;
    const picked = [custom ? 'custom' : 'NULL AS custom', attribution ? 'attribution' : 'NULL AS attribution'].join(', ');
    return store.live(`SELECT id, ${picked} FROM replica_leads`, [], (rows) => {
      const values = new Map(rows.map((r) => [r.id, { ...parse(r.custom), ...parse(r.attribution) }]));
      setExtras({ columns, values });
    });
  }, [store]);
  return {
    columns: extras.columns,
    cells: (id) => extras.columns.map((c) => {
      const v = extras.values.get(id)?.[c.key];
      return v === undefined || v === null || v === '' ? '' : String(c.show(v));
    }),
  };
}
