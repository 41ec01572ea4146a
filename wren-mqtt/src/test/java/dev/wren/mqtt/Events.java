package dev.wren.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** Records the events of one or more clients, for assertions; optionally reacts to them. Test-thread only. */
final class Events implements MqttEventHandler {
    final List<MqttEvent> all = new ArrayList<>();
    private BiConsumer<MqttClient, MqttEvent> reaction = (c, e) -> { };

    Events reacting(BiConsumer<MqttClient, MqttEvent> reaction) {
        this.reaction = reaction;
        return this;
    }

    /**
     * Records {@code event}; a PUBLISH with its payload copied, since the event's own payload is a view of the
     * receive buffer, valid only while the handler runs (the reaction still gets the event as delivered).
     */
    @Override
    public void onEvent(MqttClient client, MqttEvent event) {
        if (event instanceof MqttEvent.Publish p && !p.streamed()) {
            all.add(p.withAcknowledger(java.nio.ByteBuffer.wrap(p.payloadBytes()).asReadOnlyBuffer(), null));
        } else {
            all.add(event);
        }
        reaction.accept(client, event);
    }

    <T extends MqttEvent> List<T> of(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (MqttEvent e : all) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    <T extends MqttEvent> int count(Class<T> type) {
        return of(type).size();
    }

    <T extends MqttEvent> T last(Class<T> type) {
        List<T> list = of(type);
        if (list.isEmpty()) {
            throw new AssertionError("no " + type.getSimpleName() + " event in " + all);
        }
        return list.get(list.size() - 1);
    }

    MqttEvent.Disconnect disconnect() {
        return last(MqttEvent.Disconnect.class);
    }
}
