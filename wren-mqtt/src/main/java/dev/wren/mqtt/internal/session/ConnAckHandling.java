package dev.wren.mqtt.internal.session;

import dev.wren.mqtt.ConnectReturnCode;
import dev.wren.mqtt.DisconnectReason;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.ReasonCode;
import dev.wren.mqtt.UnacknowledgedMessage;
import dev.wren.mqtt.internal.codec.Packet;
import dev.wren.mqtt.internal.codec.Properties;
import dev.wren.mqtt.internal.codec.Property;
import dev.wren.mqtt.internal.codec.ReasonCodes;
import java.util.List;

/**
 * What a CONNACK does to a {@link ClientProtocol}: the refusal or acceptance reported, for MQTT 5.0 what the server
 * granted taken on, and the session resumed (its messages re-sent in their order) or its messages handed back.
 * Stateless: the state is the core's and the connection's, so an idle connection costs no object for this.
 *
 * <p>Called on the core's thread only; not thread-safe, as the core is not.
 */
final class ConnAckHandling {
    private ConnAckHandling() {
    }

    static void onConnAck(ClientProtocol core, Connection c, Packet.ConnAck a) {
        ProtocolConfig config = core.config();
        Session session = core.session();
        if (c.state != Connection.State.CONNECTING) {
            core.violation(ProtocolViolation.UNEXPECTED_CONNACK_STATE, "second CONNACK on one connection");
            return;
        }
        if (config.protocolVersion().isMqtt5()) {
            ReasonCode reason = ReasonCodes.of(a.returnCode(), Property.Where.CONNACK); // the decoder checked it
            Properties props = a.properties() == null ? Properties.NONE : a.properties();
            core.emit(new MqttEvent.ConnAck(ConnectReturnCode.equivalentOf(reason), a.sessionPresent(), reason,
                    props));
            if (reason.isError()) {
                core.endConnection(new MqttEvent.Disconnect(DisconnectReason.REFUSED, null, "connection refused: "
                        + reason + props.reasonString().map(r -> " (" + r + ")").orElse("")
                        + props.serverReference().map(r -> ", use " + r).orElse(""), null, reason, props));
                return;
            }
            if (config.authenticator() != null && !core.authentication().accepted(props)) {
                return;
            }
            if (a.sessionPresent() && config.cleanSession()) {
                core.violation(ProtocolViolation.SESSION_PRESENT_WITHOUT_SESSION, "CONNACK with session present "
                        + "after a clean start: the client has no session to resume [MQTT-3.2.2-4]");
                return;
            }
            grant(core, c, props);
        } else {
            ConnectReturnCode code = ConnectReturnCode.ofOrNull(a.returnCode());
            core.emit(new MqttEvent.ConnAck(code, a.sessionPresent()));
            if (code != ConnectReturnCode.ACCEPTED) {
                core.close(DisconnectReason.REFUSED, null, "connection refused: " + code, null);
                return;
            }
        }
        c.state = Connection.State.CONNECTED;
        c.sessionResumed = a.sessionPresent() && !config.cleanSession() && !session.foreign;
        session.foreign = false;
        if (c.sessionResumed) {
            // MQTT-4.4.0-1: unacknowledged PUBLISH and PUBREL packets again, in their original order
            c.resendList = session.markResend();
            c.resendsLeft = c.resendList.size();
            core.outgoing().resend(c);
        } else {
            session.serverStateLost();
            List<UnacknowledgedMessage> lost = session.abandon();
            if (!lost.isEmpty()) {
                core.emit(new MqttEvent.SessionLost(lost));
            }
        }
    }

    /** MQTT 5.0: takes on what the CONNACK granted; the client keeps to it for the rest of the connection. */
    private static void grant(ClientProtocol core, Connection c, Properties p) {
        ProtocolConfig config = core.config();
        Session session = core.session();
        c.serverReceiveMaximum = p.receiveMaximum().orElse(65535);
        c.maximumQos = p.maximumQos().orElse(2);
        c.retainAvailable = p.retainAvailable().orElse(true);
        c.serverMaximumPacketSize = p.maximumPacketSize().orElse(ProtocolConfig.MQTT_MAX_PACKET);
        int aliases = p.topicAliasMaximum().orElse(0);
        if (aliases > 0 && config.topicAliases()) {
            c.outgoingAliases = new TopicAliases(Math.min(aliases, 256)); // a bounded choice of recent topics
        }
        p.assignedClientIdentifier().ifPresent(id -> session.assignedClientId = id);
        if (p.serverKeepAlive().isPresent()) { // [MQTT-3.2.2-21]: the server's keep-alive replaces the client's
            long keepAliveMillis = p.serverKeepAlive().getAsInt() * 1000L;
            KeepAlive k = new KeepAlive(keepAliveMillis, config.pingTimeout().toMillis());
            k.reset(c.connectStarted);
            c.keepAlive = k;
        }
    }
}
