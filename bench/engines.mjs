// The engines under test: where each one's benchmark page is and which of its served files count as its download.

export const ENGINES = [
  {
    id: 'lead-outbox',
    label: 'lead-outbox',
    page: '/bench/pages/lead-outbox.html',
    ownsFile: (path) => path.startsWith('/web/'),
    canSync: true,
  },
  {
    id: 'pglite',
    label: 'PGlite 0.5.16',
    page: '/bench/pages/pglite.html',
    ownsFile: (path) => path.startsWith('/pglite/'),
    canSync: false, // PGlite has no built-in upload to a server
  },
];
