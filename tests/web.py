"""One HTTP client for the tests' requests to Deputy and the sites.

`web.get()` builds a client, and with it a TLS context, on every call: tens of milliseconds of CPU, taken
from the Deputy under test (it runs in the same process) many times a second while a test polls. A shared
client builds it once. It keeps no connection between requests, as `web.get()` keeps none: servers stop and
start again on the same port within a test.
"""

import ssl

import httpx

# For the tests' own short-lived async clients (one per event loop), so they skip building it too.
TLS = ssl.create_default_context()

client = httpx.Client(verify=TLS, limits=httpx.Limits(max_keepalive_connections=0))
get = client.get
post = client.post
put = client.put
patch = client.patch
delete = client.delete
request = client.request
