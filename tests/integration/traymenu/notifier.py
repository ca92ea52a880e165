"""A desktop notification service for the tray's tests: `python -m tests.integration.traymenu.notifier`.

It owns org.freedesktop.Notifications on the session bus in DBUS_SESSION_BUS_ADDRESS and prints "ready" once it
does; it accepts every notification and shows none.
"""

import itertools
from typing import Any

from gi.repository import Gio, GLib

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = f"""
<node>
  <interface name="{NAME}">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{{sv}}" direction="in"/><arg type="i" direction="in"/><arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
  </interface>
</node>
"""


def main() -> None:
    loop = GLib.MainLoop()
    ids = itertools.count(1)

    def on_call(
        _connection: Any, _sender: str, _path: str, _interface: str, method: str, _params: Any, invocation: Any
    ) -> None:
        if method == "Notify":
            invocation.return_value(GLib.Variant("(u)", (next(ids),)))
        elif method == "GetCapabilities":
            invocation.return_value(GLib.Variant("(as)", (["body"],)))
        elif method == "GetServerInformation":
            invocation.return_value(GLib.Variant("(ssss)", ("deputy-tests", "Deputy", "1", "1.2")))
        else:
            invocation.return_value(None)

    def on_bus(connection: Any, _name: str) -> None:
        interface = Gio.DBusNodeInfo.new_for_xml(INTERFACE).interfaces[0]
        connection.register_object(PATH, interface, on_call, None, None)

    def on_name(_connection: Any, _name: str) -> None:
        print("ready", flush=True)

    Gio.bus_own_name(Gio.BusType.SESSION, NAME, Gio.BusNameOwnerFlags.NONE, on_bus, on_name, lambda *_: loop.quit())
    loop.run()


if __name__ == "__main__":
    main()
