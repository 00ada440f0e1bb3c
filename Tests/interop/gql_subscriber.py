"""Subscribes with the `gql` client's WebSocket transport (graphql-transport-ws) and prints each
result as a JSON line, until `count` results. Run by the interop venv's Python (gql needs
graphql-core 3.3): python gql_subscriber.py URL TOKEN COUNT QUERY"""
import asyncio
import json
import sys

from gql import Client, gql
from gql.transport.websockets import WebsocketsTransport


async def main(url, token, count, query):
    transport = WebsocketsTransport(url=url, subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
                                    init_payload={"Authorization": f"Bearer {token}"})
    received = 0
    async with Client(transport=transport, fetch_schema_from_transport=False) as session:
        print(json.dumps({"connected": True}), flush=True)
        try:
            async for result in session.subscribe(gql(query)):
                print(json.dumps({"data": result}), flush=True)
                received += 1
                if received >= count:
                    break
        except Exception as error:  # a GraphQL error ends the subscription: report it
            print(json.dumps({"error": str(error)}), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]))
