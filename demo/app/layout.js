// The demo site's shell; <LeadAttribution> keeps the campaign of a visitor who lands on any page, with or without the form.
import { LeadAttribution } from 'lead-outbox/react';
import './globals.css';

export const metadata = { title: 'Acme Widgets: talk to sales', description: 'A lead form that works offline.' };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>
        <LeadAttribution />
        <main>{children}</main>
      </body>
    </html>
  );
}
