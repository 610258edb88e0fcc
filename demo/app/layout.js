// The demo site's shell.
import './globals.css';

export const metadata = { title: 'Acme Widgets: talk to sales', description: 'A lead form that works offline.' };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>
        <main>{children}</main>
      </body>
    </html>
  );
}
