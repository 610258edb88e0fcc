// The floor's page (floor.js) that also loads lead-outbox's bundle as lead-outbox's page does (preloaded, imported, evaluated, never called): with ?wasm, a first visit's bound for lead-outbox's wasm and bundle together.
import '/web/dist/lead-outbox.mjs';
import './floor.js';
