package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.Subscription;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A SUBSCRIBE or UNSUBSCRIBE an {@link AsyncMqttClient} is to send, with its future.
 *
 * <p>Immutable; its future is completed under the client's lock.
 */
final class Control {
    final List<Subscription> subscriptions;
    final List<String> filters;
    final CompletableFuture<MqttEvent.SubAck> subAckFuture;
    final CompletableFuture<MqttEvent.UnsubAck> unsubAckFuture;
    /** MQTT 5.0: the Subscription Identifier of a SUBSCRIBE, 0 for none. */
    final int subscriptionIdentifier;

    private Control(List<Subscription> subscriptions, List<String> filters,
                    CompletableFuture<MqttEvent.SubAck> subAck, CompletableFuture<MqttEvent.UnsubAck> unsubAck,
                    int subscriptionIdentifier) {
        this.subscriptionIdentifier = subscriptionIdentifier;
        this.subscriptions = subscriptions;
        this.filters = filters;
        this.subAckFuture = subAck;
        this.unsubAckFuture = unsubAck;
    }

    static Control subscribe(List<Subscription> s, CompletableFuture<MqttEvent.SubAck> f) {
        return new Control(s, null, f, null, 0);
    }

    /** An MQTT 5.0 SUBSCRIBE with a Subscription Identifier. */
    static Control subscribe(List<Subscription> s, int subscriptionIdentifier, CompletableFuture<MqttEvent.SubAck> f) {
        return new Control(s, null, f, null, subscriptionIdentifier);
    }

    static Control unsubscribe(List<String> filters, CompletableFuture<MqttEvent.UnsubAck> f) {
        return new Control(null, filters, null, f, 0);
    }

    int send(MqttClient c) {
        if (subscriptions != null && subscriptionIdentifier != 0) {
            return c.subscribe(subscriptions, subscriptionIdentifier, dev.wren.mqtt.MqttProperties.none());
        }
        return subscriptions != null ? c.subscribe(subscriptions) : c.unsubscribe(filters);
    }

    void fail(MqttException e, AsyncConnection owner) {
        if (subAckFuture != null) {
            owner.complete(subAckFuture, null, e);
        }
        if (unsubAckFuture != null) {
            owner.complete(unsubAckFuture, null, e);
        }
    }
}

