"""Real Python Kafka clients against the workbench's listeners (issue 11).

Usage: python3 python_clients.py <kafka-python|confluent> <bootstrap> <topic>

Produces keyed records (acks=all) with the client's default partitioner for keyed records
(kafka-python: murmur2; confluent-kafka: murmur2_random set explicitly, as Java's), then reads the
partitions back from the beginning without a group (assigned partitions), and prints one JSON
line: {"produced": [{"key", "partition", "offset"}], "consumed": [{"key", "value", "partition", "offset"}]}.
"""
import json
import sys

KEYS = [f"order-{i}" for i in range(8)]


def kafka_python(bootstrap, topic):
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition

    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", client_id="kafka-python-test")
    produced = []
    for key in KEYS:
        meta = producer.send(topic, key=key.encode(), value=f"value of {key}".encode()).get(timeout=20)
        produced.append({"key": key, "partition": meta.partition, "offset": meta.offset})
    producer.flush()
    producer.close()
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, client_id="kafka-python-test", enable_auto_commit=False, consumer_timeout_ms=3000)
    partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic))]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    consumed = [{"key": m.key.decode(), "value": m.value.decode(), "partition": m.partition, "offset": m.offset} for m in consumer]
    consumer.close()
    return produced, consumed


def confluent(bootstrap, topic):
    from confluent_kafka import Consumer, Producer, TopicPartition, OFFSET_BEGINNING

    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "partitioner": "murmur2_random", "client.id": "confluent-test"})
    produced = []

    def delivered(err, msg):
        if err is not None:
            raise RuntimeError(str(err))
        produced.append({"key": msg.key().decode(), "partition": msg.partition(), "offset": msg.offset()})

    for key in KEYS:
        producer.produce(topic, key=key.encode(), value=f"value of {key}".encode(), on_delivery=delivered)
    if producer.flush(20) != 0:
        raise RuntimeError("records not delivered within 20 s")
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "unused-no-subscribe", "enable.auto.commit": False, "client.id": "confluent-test"})
    metadata = consumer.list_topics(topic, timeout=10)
    partitions = [TopicPartition(topic, p, OFFSET_BEGINNING) for p in sorted(metadata.topics[topic].partitions)]
    consumer.assign(partitions)
    consumed = []
    idle = 0
    while len(consumed) < len(KEYS) and idle < 20:
        msg = consumer.poll(0.5)
        if msg is None:
            idle += 1
            continue
        if msg.error():
            continue
        consumed.append({"key": msg.key().decode(), "value": msg.value().decode(), "partition": msg.partition(), "offset": msg.offset()})
    consumer.close()
    return produced, consumed


def main():
    client, bootstrap, topic = sys.argv[1], sys.argv[2], sys.argv[3]
    produced, consumed = (kafka_python if client == "kafka-python" else confluent)(bootstrap, topic)
    print(json.dumps({"produced": produced, "consumed": consumed}))


if __name__ == "__main__":
    main()
