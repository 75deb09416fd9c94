"""How a signed-in browser is described to its owner: a device summary and a coarse address.

Pure Python. Enough for a person to recognise "Firefox on Windows, from 203.0.113.x", not a
fingerprint: the full user agent string and the full address are never kept.
"""

import ipaddress

# Checked in order: Edge and Opera also say "Chrome", Chrome also says "Safari".
BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
            ("Chromium/", "Chromium"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
           ("Windows", "Windows"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"),
           ("Linux", "Linux"))


def describe_device(user_agent: str | None) -> str:
    """'Firefox on Windows', 'Safari on iPhone', or 'Unknown browser' from a User-Agent."""
    agent = user_agent or ""
    browser = next((name for mark, name in BROWSERS if mark in agent), "Unknown browser")
    system = next((name for mark, name in SYSTEMS if mark in agent), "")
    return f"{browser} on {system}" if system else browser


def coarse_network(address: str | None) -> str:
    """The network an address belongs to, not the address: '203.0.113.x' for IPv4, the /48
    for IPv6, '' for anything unreadable."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.version == 4:
        return ".".join(str(ip).split(".")[:3]) + ".x"
    network = ipaddress.ip_network(f"{ip}/48", strict=False)
    return str(network)
