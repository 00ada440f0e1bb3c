"""A GraphQL over SSE client (distinct connections mode) for the interop tests: POST with
`Accept: text/event-stream`, then `next` events until `complete`. It reads the stream as bytes
arrive: a test waits on the events themselves, never on a sleep."""
import json

import requests


class EventStream:
    def __init__(self, url, query, token=None, variables=None):
        headers = {"Accept": "text/event-stream", "Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = {"query": query}
        if variables is not None:
            body["variables"] = variables
        self.response = requests.post(f"{url}/graphql", json=body, headers=headers, stream=True, timeout=(5, 60))
        self.status = self.response.status_code
        self.content_type = self.response.headers.get("Content-Type", "")
        self._lines = self.response.iter_lines(chunk_size=None, decode_unicode=True) if self.status == 200 else iter(())

    def wait_subscribed(self):
        """The first line is the server's comment, sent once the subscription is in place."""
        line = next(self._lines)
        assert line.startswith(":"), line

    def next_event(self):
        """The next event as (name, data): ("next", {...}) or ("complete", None); comments skipped."""
        name, data = None, []
        for line in self._lines:
            if line.startswith(":"):
                continue
            if line == "":
                if name is None and not data:
                    continue
                text = "\n".join(data)
                return name, (json.loads(text) if text else None)
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)
        raise EOFError("the stream ended")

    def close(self):
        self.response.close()
