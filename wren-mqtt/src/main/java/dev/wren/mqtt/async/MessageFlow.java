package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.Subscription;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link AsyncMqttClient#messages(String, Qos)}: a {@link Flow.Publisher} of the messages on one filter. Each
 * {@link #subscribe} makes the MQTT subscription (a later one for the same filter on the same client takes its
 * messages over, as with handlers); the subscriber's demand is what the client's bound on pending messages
 * ({@link AsyncMqttClientBuilder#maxPending}) counts, so a subscriber that requests nothing makes the client stop
 * reading once the bound is reached. Cancelling unsubscribes.
 *
 * <p>Thread-safe.
 */
final class MessageFlow implements Flow.Publisher<MqttEvent.Publish> {
    private final AsyncMqttClient client;
    private final String filter;
    private final Qos qos;

    MessageFlow(AsyncMqttClient client, String filter, Qos qos) {
        this.client = client;
        this.filter = filter;
        this.qos = qos;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super MqttEvent.Publish> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber"); // rule 1.9
        Link link = new Link(subscriber);
        subscriber.onSubscribe(link); // rule 1.9: before any other signal
        client.subscribe(List.of(Subscription.of(filter, qos)), link).whenComplete((ack, e) -> {
            if (e != null) {
                link.fail(e);
            } else if (ack.returnCodes().get(0) >= 0x80) {
                link.fail(MqttException.refused("the server refused the subscription to " + filter,
                        ack.reasonCodes().isEmpty() ? dev.wren.mqtt.ReasonCode.UNSPECIFIED_ERROR
                                : ack.reasonCodes().get(0)));
            }
        });
    }

    /** One subscriber's subscription: its demand, the messages waiting for it, and their slots. */
    private final class Link implements Flow.Subscription, RetainingHandler {
        private record Item(MqttEvent.Publish message, Runnable release) {
        }

        private final Flow.Subscriber<? super MqttEvent.Publish> subscriber;
        private final ConcurrentLinkedQueue<Item> waiting = new ConcurrentLinkedQueue<>();
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger work = new AtomicInteger();
        private volatile boolean cancelled;
        private volatile Throwable failure;
        private boolean terminated; // drain loop only

        Link(Flow.Subscriber<? super MqttEvent.Publish> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void offer(MqttEvent.Publish m, Runnable release) {
            waiting.add(new Item(m, release));
            drain();
        }

        @Override
        public void request(long n) {
            if (n <= 0) { // rule 3.9
                fail(new IllegalArgumentException("request(" + n + "): demand must be positive (rule 3.9)"));
                return;
            }
            demand.getAndUpdate(d -> d + n < 0 ? Long.MAX_VALUE : d + n); // rule 3.17: unbounded at Long.MAX_VALUE
            drain();
        }

        @Override
        public void cancel() {
            if (!cancelled) {
                cancelled = true;
                client.unsubscribe(filter);
                drain();
            }
        }

        void fail(Throwable e) {
            if (failure == null) {
                failure = e;
            }
            if (!cancelled) {
                cancelled = true;
                client.unsubscribe(filter);
            }
            drain();
        }

        /** Signals the subscriber from one thread at a time (rule 1.3), never beyond its demand (rule 1.1). */
        private void drain() {
            if (work.getAndIncrement() != 0) {
                return;
            }
            do {
                if (cancelled) {
                    Item i;
                    while ((i = waiting.poll()) != null) {
                        i.release.run();
                    }
                    Throwable f = failure;
                    if (f != null && !terminated) {
                        terminated = true;
                        subscriber.onError(f);
                    }
                } else {
                    while (demand.get() > 0 && !cancelled) {
                        Item i = waiting.poll();
                        if (i == null) {
                            break;
                        }
                        demand.decrementAndGet();
                        try {
                            subscriber.onNext(i.message);
                        } finally {
                            i.release.run();
                        }
                    }
                }
            } while (work.decrementAndGet() != 0);
        }
    }
}
