"""A producer with acks=all that keeps sending while the workbench kills the leader (issue 11).

Usage: python3 python_failover.py <kafka-python|confluent> <bootstrap> <topic> <count>

Sends <count> keyed records, about 25 per second. After 20 acknowledgements it prints
{"progress": 20} so the test can kill the partition leader's broker; the client must find the new
leader by itself (metadata refresh, retries). At the end it prints one JSON line:
{"acked": [{"value", "partition", "offset"}], "failed": [{"value", "error"}]}.
"""
import json
import sys
import time

CLIENT, BOOTSTRAP, TOPIC, COUNT = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
PROGRESS_AT = 20


def progress(acked, told):
    if not told and len(acked) >= PROGRESS_AT:
        print(json.dumps({"progress": len(acked)}), flush=True)
        return True
    return told


def kafka_python():
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", retries=50, retry_backoff_ms=500, request_timeout_ms=60000, client_id="python-failover", max_in_flight_requests_per_connection=1)
    acked, failed, told = [], [], False
    for i in range(COUNT):
        value = f"payment-{i}"
        try:
            meta = producer.send(TOPIC, key=f"k{i % 7}".encode(), value=value.encode()).get(timeout=90)
            acked.append({"value": value, "partition": meta.partition, "offset": meta.offset})
        except Exception as error:  # what the application sees: the send failed
            failed.append({"value": value, "error": repr(error)})
        told = progress(acked, told)
        time.sleep(0.04)
    producer.close()
    return acked, failed


def confluent():
    from confluent_kafka import Producer

    producer = Producer({"bootstrap.servers": BOOTSTRAP, "acks": "all", "client.id": "confluent-failover", "partitioner": "murmur2_random", "linger.ms": 5})
    acked, failed = [], []
    told = False

    def delivered(err, msg):
        value = msg.value().decode()
        if err is not None:
            failed.append({"value": value, "error": str(err)})
        else:
            acked.append({"value": value, "partition": msg.partition(), "offset": msg.offset()})

    for i in range(COUNT):
        producer.produce(TOPIC, key=f"k{i % 7}".encode(), value=f"payment-{i}".encode(), on_delivery=delivered)
        producer.poll(0.04)
        told = progress(acked, told)
    deadline = time.time() + 120
    while len(acked) + len(failed) < COUNT and time.time() < deadline:
        producer.poll(0.2)
        told = progress(acked, told)
    producer.flush(10)
    return acked, failed


def main():
    acked, failed = (kafka_python if CLIENT == "kafka-python" else confluent)()
    print(json.dumps({"acked": acked, "failed": failed}), flush=True)


if __name__ == "__main__":
    main()
