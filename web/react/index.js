'use client';
// lead-outbox/react: the hook and the form; a thin layer over the framework-free store.
export { useLeadOutbox, NOT_READY_STATUS } from './useLeadOutbox.js';
export { OfflineLeadForm, submitLeadForm, SAVED_NOTICE, LOAD_ERROR_NOTICE } from './OfflineLeadForm.js';
export { LeadFormFields, SELECT_PROMPT, MARKETING_TEXT } from './LeadFormFields.js';
export { DEFAULT_FORM, initialValues, leadFromValues } from './formDefinition.js';
export { LeadAttribution, useAttributionCapture } from './attribution.js';
export { LeadStatus, describeStatus } from './LeadStatus.js';
export { useLiveQuery, useLeads } from './useLiveQuery.js';
export { tokenFetch } from './siteToken.js';
export { registerOfflineCache } from './offlineCache.js';
