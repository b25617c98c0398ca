#!/usr/bin/python3
"""Asks the windows of a process to close, as a window manager's close button does: a
WM_DELETE_WINDOW message to each top-level window whose _NET_WM_PID is the given process.
For the end-to-end tests under Xvfb, which has no window manager. Prints how many it asked."""
import sys

from Xlib import X, display, protocol

pid = int(sys.argv[1])
d = display.Display()
root = d.screen().root
NET_WM_PID = d.intern_atom("_NET_WM_PID")
WM_PROTOCOLS = d.intern_atom("WM_PROTOCOLS")
WM_DELETE_WINDOW = d.intern_atom("WM_DELETE_WINDOW")
asked = 0
for window in root.query_tree().children:
    prop = window.get_full_property(NET_WM_PID, X.AnyPropertyType)
    if prop is None or pid not in prop.value:
        continue
    event = protocol.event.ClientMessage(
        window=window, client_type=WM_PROTOCOLS, data=(32, [WM_DELETE_WINDOW, X.CurrentTime, 0, 0, 0])
    )
    window.send_event(event, event_mask=X.NoEventMask)
    asked += 1
d.flush()
print(asked)
