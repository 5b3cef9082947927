"""A real Python client's whole life against the workbench's listeners (issue 11, must-hold 1).

Usage: python3 python_lifecycle.py <kafka-python|confluent> <bootstrap> <topic> <group>

Steps, each as a workshop participant's script does them:
  1. list the cluster's metadata (brokers and topics);
  2. create <topic> with 3 partitions and replication factor 3 (the client's admin API);
  3. produce 6 keyed and 4 keyless records with acks=all;
  4. read the topic from the beginning without a group (assigned partitions);
  5. consume in <group> with auto commit off, committing after the records are read, then close;
  6. produce 5 more records, start a new consumer in <group> ("the consumer restarted") and read:
     it resumes from the committed offsets, so it gets exactly the 5 new records.
Prints one JSON line with what each step saw. Any failure raises (non-zero exit, traceback).
"""
import json
import sys
import time

KEYED = [f"order-{i}" for i in range(6)]
KEYLESS = 4
LATER = 5


def kafka_python(bootstrap, topic, group):
    from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
    from kafka.admin import NewTopic

    client_id = "kafka-python-lifecycle"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id=client_id)
    brokers = sorted(b["node_id"] for b in admin.describe_cluster()["brokers"])
    admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=3)])
    topics = sorted(admin.list_topics())
    admin.close()

    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", retries=5, client_id=client_id)

    def send(key, value):
        meta = producer.send(topic, key=None if key is None else key.encode(), value=value.encode()).get(timeout=30)
        return {"key": key, "value": value, "partition": meta.partition, "offset": meta.offset}

    produced = [send(key, f"value of {key}") for key in KEYED] + [send(None, f"keyless {i}") for i in range(KEYLESS)]

    reader = KafkaConsumer(bootstrap_servers=bootstrap, client_id=client_id, enable_auto_commit=False, consumer_timeout_ms=3000)
    partitions = [TopicPartition(topic, p) for p in sorted(reader.partitions_for_topic(topic))]
    reader.assign(partitions)
    reader.seek_to_beginning(*partitions)
    from_beginning = [record_of(m.key, m.value, m.partition, m.offset) for m in reader]
    reader.close()

    def group_consume(expected):
        consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, client_id=client_id, group_id=group, auto_offset_reset="earliest", enable_auto_commit=False)
        got = []
        deadline = time.time() + 60
        while len(got) < expected and time.time() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                got.extend(record_of(m.key, m.value, m.partition, m.offset) for m in records)
        consumer.commit()
        # A short extra poll: anything past `expected` would show a wrong resume position.
        for records in consumer.poll(timeout_ms=1500).values():
            got.extend(record_of(m.key, m.value, m.partition, m.offset) for m in records)
        consumer.close()
        return got

    in_group = group_consume(len(produced))
    later = [send(f"later-{i}", f"later value {i}") for i in range(LATER)]
    producer.flush()
    producer.close()
    resumed = group_consume(LATER)
    return {"brokers": brokers, "topics": topics, "produced": produced, "later": later, "fromBeginning": from_beginning, "inGroup": in_group, "resumed": resumed}


def confluent(bootstrap, topic, group):
    from confluent_kafka import Consumer, Producer, TopicPartition, OFFSET_BEGINNING
    from confluent_kafka.admin import AdminClient, NewTopic

    client_id = "confluent-lifecycle"
    admin = AdminClient({"bootstrap.servers": bootstrap, "client.id": client_id})
    metadata = admin.list_topics(timeout=10)
    brokers = sorted(metadata.brokers)
    for future in admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=3)], operation_timeout=10).values():
        future.result(timeout=20)
    topics = sorted(admin.list_topics(timeout=10).topics)

    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "partitioner": "murmur2_random", "client.id": client_id})

    def send_all(pairs):
        out = []

        def delivered(err, msg):
            if err is not None:
                raise RuntimeError(str(err))
            key = msg.key()
            out.append({"key": None if key is None else key.decode(), "value": msg.value().decode(), "partition": msg.partition(), "offset": msg.offset()})

        for key, value in pairs:
            producer.produce(topic, key=None if key is None else key.encode(), value=value.encode(), on_delivery=delivered)
        if producer.flush(30) != 0:
            raise RuntimeError("records not delivered within 30 s")
        return out

    produced = send_all([(key, f"value of {key}") for key in KEYED] + [(None, f"keyless {i}") for i in range(KEYLESS)])

    reader = Consumer({"bootstrap.servers": bootstrap, "group.id": "unused-no-subscribe", "enable.auto.commit": False, "client.id": client_id})
    parts = sorted(reader.list_topics(topic, timeout=10).topics[topic].partitions)
    reader.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in parts])
    from_beginning = poll_until(reader, len(produced), idle_polls=6)
    reader.close()

    def group_consume(expected):
        consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "client.id": client_id, "auto.offset.reset": "earliest", "enable.auto.commit": False})
        consumer.subscribe([topic])
        got = poll_until(consumer, expected, idle_polls=120)
        consumer.commit(asynchronous=False)
        got.extend(poll_until(consumer, 1, idle_polls=3))
        consumer.close()
        return got

    in_group = group_consume(len(produced))
    later = send_all([(f"later-{i}", f"later value {i}") for i in range(LATER)])
    resumed = group_consume(LATER)
    return {"brokers": brokers, "topics": topics, "produced": produced, "later": later, "fromBeginning": from_beginning, "inGroup": in_group, "resumed": resumed}


def poll_until(consumer, expected, idle_polls):
    got = []
    idle = 0
    while len(got) < expected and idle < idle_polls:
        msg = consumer.poll(0.5)
        if msg is None or msg.error():
            idle += 1
            continue
        got.append(record_of(msg.key(), msg.value(), msg.partition(), msg.offset()))
    return got


def record_of(key, value, partition, offset):
    return {"key": None if key is None else key.decode(), "value": value.decode(), "partition": partition, "offset": offset}


def main():
    client, bootstrap, topic, group = sys.argv[1:5]
    outcome = (kafka_python if client == "kafka-python" else confluent)(bootstrap, topic, group)
    print(json.dumps(outcome))


if __name__ == "__main__":
    main()
