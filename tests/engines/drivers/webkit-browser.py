#!/usr/bin/python3
# A minimal WebKitGTK browser for WebKitWebDriver that keeps website data in --data-dir across restarts.
# Debian's MiniBrowser uses an ephemeral data manager under automation, so IndexedDB, the
# Cache API and service workers would start empty after every restart; this one does not.
import os
import sys

import gi

gi.require_version('Gtk', '3.0')
gi.require_version('WebKit2', '4.1')
from gi.repository import Gtk, WebKit2  # noqa: E402

data_dir = next((a.split('=', 1)[1] for a in sys.argv[1:] if a.startswith('--data-dir=')), None)
if not data_dir:
    sys.exit('webkit-browser.py: --data-dir=PATH is required')

manager = WebKit2.WebsiteDataManager(
    base_data_directory=os.path.join(data_dir, 'data'),
    base_cache_directory=os.path.join(data_dir, 'cache'),
)
context = WebKit2.WebContext.new_with_website_data_manager(manager)
# WebKitWebDriver starts this with WEBKIT_INSPECTOR_SERVER set; the session then asks for windows.
context.set_automation_allowed(True)
windows = []


def create_web_view(_session):
    # Every window the driver asks for (the first one and each newWindow) shares the context.
    view = WebKit2.WebView(web_context=context, is_controlled_by_automation=True)
    view.get_settings().set_enable_developer_extras(True)
    window = Gtk.Window()
    window.set_default_size(1024, 768)
    window.add(view)
    view.connect('close', lambda v: window.destroy())
    window.connect('destroy', lambda w: (windows.remove(w), windows or Gtk.main_quit()))
    windows.append(window)
    window.show_all()
    return view


def automation_started(_context, session):
    info = WebKit2.ApplicationInfo()
    info.set_name('lead-outbox-webkit')
    info.set_version(1, 0, 0)
    session.set_application_info(info)
    session.connect('create-web-view', create_web_view)


context.connect('automation-started', automation_started)
Gtk.main()
