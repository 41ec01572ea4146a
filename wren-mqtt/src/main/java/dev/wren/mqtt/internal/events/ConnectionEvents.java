package dev.wren.mqtt.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JDK Flight Recorder events for a client's life: connected, connection ended, reconnect attempt, so that
 * {@code jfr print --events 'dev.wren.*' recording.jfr} shows it. Cheap when no recording runs: until Flight
 * Recorder has been initialized (a recording started, at launch or later with {@code jcmd}), no event class is
 * even loaded, which keeps JFR's classes out of a short-lived program's start-up (about 50 ms for {@code wren pub});
 * after that JFR checks {@code isEnabled()} first.
 *
 * <p>Each event object is used by one thread; the factory methods are thread-safe.
 */
public final class ConnectionEvents {
    private ConnectionEvents() {
    }

    @Name("dev.wren.Connected")
    @Label("MQTT connected")
    @Category({"Wren", "MQTT"})
    @Description("A CONNACK accepted the connection")
    static final class Connected extends Event {
        @Label("Client identifier")
        String clientId;
        @Label("Server")
        String server;
        @Label("Session present")
        boolean sessionPresent;
    }

    @Name("dev.wren.Disconnected")
    @Label("MQTT connection ended")
    @Category({"Wren", "MQTT"})
    @Description("The connection ended, by the application, the server or a failure")
    static final class Disconnected extends Event {
        @Label("Client identifier")
        String clientId;
        @Label("Reason")
        String reason;
        @Label("Detail")
        String detail;
    }

    @Name("dev.wren.ReconnectAttempt")
    @Label("MQTT reconnect attempt")
    @Category({"Wren", "MQTT"})
    @Description("The client tries to connect again after a lost connection")
    static final class ReconnectAttempt extends Event {
        @Label("Client identifier")
        String clientId;
        @Label("Server")
        String server;
    }

    public static void connected(String clientId, String server, boolean sessionPresent) {
        if (!FlightRecorder.isInitialized()) {
            return; // no recording has ever run: none can want the event
        }
        Connected e = new Connected();
        if (e.isEnabled()) {
            e.clientId = clientId;
            e.server = server;
            e.sessionPresent = sessionPresent;
            e.commit();
        }
    }

    public static void disconnected(String clientId, String reason, String detail) {
        if (!FlightRecorder.isInitialized()) {
            return; // no recording has ever run: none can want the event
        }
        Disconnected e = new Disconnected();
        if (e.isEnabled()) {
            e.clientId = clientId;
            e.reason = reason;
            e.detail = detail;
            e.commit();
        }
    }

    public static void reconnectAttempt(String clientId, String server) {
        if (!FlightRecorder.isInitialized()) {
            return; // no recording has ever run: none can want the event
        }
        ReconnectAttempt e = new ReconnectAttempt();
        if (e.isEnabled()) {
            e.clientId = clientId;
            e.server = server;
            e.commit();
        }
    }
}
