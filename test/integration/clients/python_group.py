"""kafka-python consumers joining and leaving one group, driven line by line (issue 11).

Usage: python3 python_group.py <bootstrap> <topic> <group>

The seed 003 "Rebalancing Round" exercise as a participant runs it in several terminals, here in
threads of one process: each consumer is its own KafkaConsumer (its own connections, member id and
heartbeat thread), polling in a loop like 11.consumer.py; the producer is 12.producer.py, one record
per second. Commands on stdin, one per line; each answer is one JSON line on stdout:
  join <client-id>    start a consumer with that client.id in the group        -> {"ok": true}
  leave <client-id>   close it (it leaves the group: LeaveGroup)               -> {"ok": true}
  produce             start the producer (one record per second, keyless)       -> {"ok": true}
  report              each consumer's assigned partitions and what it received -> {"consumers": {...}, "produced": n}
  quit                close everything and exit                                -> {"ok": true}
"""
import json
import sys
import threading
import time

from kafka import KafkaConsumer, KafkaProducer

BOOTSTRAP, TOPIC, GROUP = sys.argv[1:4]
lock = threading.Lock()
consumers = {}  # client id -> {"stop": Event, "thread": Thread, "assignment": [...], "received": n}
produced = {"count": 0}
stopping = threading.Event()


def consume(client_id, state):
    consumer = KafkaConsumer(
        TOPIC,
        bootstrap_servers=BOOTSTRAP,
        group_id=GROUP,
        client_id=client_id,
        auto_offset_reset="earliest",
        session_timeout_ms=10000,
        heartbeat_interval_ms=1000,
    )
    try:
        while not state["stop"].is_set():
            batches = consumer.poll(timeout_ms=200)
            with lock:
                state["assignment"] = sorted(tp.partition for tp in consumer.assignment())
                state["received"] += sum(len(records) for records in batches.values())
    finally:
        consumer.close()
        state["closed"].set()


def produce():
    producer = KafkaProducer(bootstrap_servers=BOOTSTRAP, client_id="python-producer", acks="all", retries=5)
    n = 0
    while not stopping.is_set():
        producer.send(TOPIC, value=f"message {n}".encode()).get(timeout=30)
        n += 1
        with lock:
            produced["count"] = n
        stopping.wait(1.0)
    producer.close()


def answer(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        command = words[0]
        if command == "join":
            state = {"stop": threading.Event(), "closed": threading.Event(), "assignment": [], "received": 0}
            state["thread"] = threading.Thread(target=consume, args=(words[1], state), daemon=True)
            consumers[words[1]] = state
            state["thread"].start()
            answer({"ok": True})
        elif command == "leave":
            state = consumers.pop(words[1])
            state["stop"].set()
            state["closed"].wait(30)
            answer({"ok": True})
        elif command == "produce":
            threading.Thread(target=produce, daemon=True).start()
            answer({"ok": True})
        elif command == "report":
            with lock:
                answer({"consumers": {cid: {"assignment": s["assignment"], "received": s["received"]} for cid, s in consumers.items()}, "produced": produced["count"]})
        elif command == "quit":
            stopping.set()
            for state in consumers.values():
                state["stop"].set()
            for state in consumers.values():
                state["closed"].wait(30)
            answer({"ok": True})
            return


if __name__ == "__main__":
    main()
