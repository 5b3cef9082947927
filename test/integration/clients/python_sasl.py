"""A Python client on a SASL_PLAINTEXT listener, as a workshop sets it up (issue 11, must-hold 6).

Usage: python3 python_sasl.py <kafka-python|confluent> <good|wrong> <bootstrap> <topic> <group> <user> <password>

good:  produce 10 records with acks=all, then consume them in <group> with commits; prints
       {"produced": [...], "consumed": [...]}.
wrong: the same client settings with <password> (a wrong one): the client must be refused; prints
       {"refused": true, "error": "<what the client reported>"}, or {"refused": false} if it got in.
Mechanism: SCRAM-SHA-512 for both clients.
"""
import json
import sys
import time

MECHANISM = "SCRAM-SHA-512"
COUNT = 10


def kafka_python_settings(user, password):
    return dict(security_protocol="SASL_PLAINTEXT", sasl_mechanism=MECHANISM, sasl_plain_username=user, sasl_plain_password=password)


def kafka_python_good(bootstrap, topic, group, user, password):
    from kafka import KafkaConsumer, KafkaProducer

    settings = kafka_python_settings(user, password)
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", client_id="kafka-python-sasl", **settings)
    produced = []
    for i in range(COUNT):
        meta = producer.send(topic, key=f"k{i}".encode(), value=f"secure {i}".encode()).get(timeout=30)
        produced.append({"partition": meta.partition, "offset": meta.offset, "value": f"secure {i}"})
    producer.close()
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, client_id="kafka-python-sasl", auto_offset_reset="earliest", enable_auto_commit=False, **settings)
    consumed = []
    deadline = time.time() + 60
    while len(consumed) < COUNT and time.time() < deadline:
        for records in consumer.poll(timeout_ms=500).values():
            consumed.extend({"partition": m.partition, "offset": m.offset, "value": m.value.decode()} for m in records)
    consumer.commit()
    consumer.close()
    return {"produced": produced, "consumed": consumed}


def kafka_python_wrong(bootstrap, topic, group, user, password):
    from kafka import KafkaProducer

    try:
        producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", client_id="kafka-python-sasl-wrong", api_version_auto_timeout_ms=5000, **kafka_python_settings(user, password))
        producer.send(topic, value=b"must not land").get(timeout=10)
        producer.close()
        return {"refused": False}
    except Exception as error:  # the refusal is what is being observed
        return {"refused": True, "error": f"{type(error).__name__}: {error}"}


def confluent_settings(bootstrap, user, password):
    return {
        "bootstrap.servers": bootstrap,
        "security.protocol": "SASL_PLAINTEXT",
        "sasl.mechanisms": MECHANISM,
        "sasl.username": user,
        "sasl.password": password,
    }


def confluent_good(bootstrap, topic, group, user, password):
    from confluent_kafka import Consumer, Producer

    producer = Producer({**confluent_settings(bootstrap, user, password), "acks": "all", "client.id": "confluent-sasl"})
    produced = []

    def delivered(err, msg):
        if err is not None:
            raise RuntimeError(str(err))
        produced.append({"partition": msg.partition(), "offset": msg.offset(), "value": msg.value().decode()})

    for i in range(COUNT):
        producer.produce(topic, key=f"k{i}".encode(), value=f"secure {i}".encode(), on_delivery=delivered)
    producer.flush(30)
    consumer = Consumer({**confluent_settings(bootstrap, user, password), "group.id": group, "client.id": "confluent-sasl", "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    consumed = []
    deadline = time.time() + 60
    while len(consumed) < COUNT and time.time() < deadline:
        message = consumer.poll(0.5)
        if message is None or message.error() is not None:
            continue
        consumed.append({"partition": message.partition(), "offset": message.offset(), "value": message.value().decode()})
    consumer.commit(asynchronous=False)
    consumer.close()
    return {"produced": produced, "consumed": consumed}


def confluent_wrong(bootstrap, topic, group, user, password):
    from confluent_kafka import Producer

    errors = []
    settings = {**confluent_settings(bootstrap, user, password), "client.id": "confluent-sasl-wrong", "error_cb": lambda err: errors.append(f"{err.name()}: {err.str()}")}
    producer = Producer(settings)
    deadline = time.time() + 15
    while not errors and time.time() < deadline:
        producer.poll(0.2)
    metadata_ok = False
    if not errors:
        try:
            producer.list_topics(timeout=3)
            metadata_ok = True
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}")
    if metadata_ok:
        return {"refused": False}
    return {"refused": True, "error": " | ".join(errors)}


CASES = {
    ("kafka-python", "good"): kafka_python_good,
    ("kafka-python", "wrong"): kafka_python_wrong,
    ("confluent", "good"): confluent_good,
    ("confluent", "wrong"): confluent_wrong,
}

if __name__ == "__main__":
    client, mode, bootstrap, topic, group, user, password = sys.argv[1:8]
    print(json.dumps(CASES[(client, mode)](bootstrap, topic, group, user, password)))
