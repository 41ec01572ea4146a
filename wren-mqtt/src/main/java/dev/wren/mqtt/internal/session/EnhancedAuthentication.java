package dev.wren.mqtt.internal.session;

import dev.wren.mqtt.DisconnectReason;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.ReasonCode;
import dev.wren.mqtt.internal.codec.Packet;
import dev.wren.mqtt.internal.codec.Properties;
import dev.wren.mqtt.internal.codec.Property;
import dev.wren.mqtt.internal.codec.ReasonCodes;

/**
 * MQTT 5.0 enhanced authentication (section 4.12) for a {@link ClientProtocol}: the server's AUTH challenges
 * answered through the configured {@link dev.wren.mqtt.Authenticator}, the CONNACK's end of the exchange, and
 * re-authentication.
 *
 * <p>Not thread-safe: part of its protocol core.
 */
final class EnhancedAuthentication {
    private final ClientProtocol core;
    private final ProtocolConfig config;

    EnhancedAuthentication(ClientProtocol core) {
        this.core = core;
        this.config = core.config();
    }

    /** An AUTH from the server: a challenge answered through the authenticator, or a re-authentication's end. */
    void onAuth(Connection c, Packet.Auth auth) {
        dev.wren.mqtt.Authenticator authenticator = config.authenticator();
        if (authenticator == null) {
            core.violation(ProtocolViolation.UNEXPECTED_AUTH, "AUTH from the server, although CONNECT gave no "
                    + "Authentication Method [MQTT-4.12.0-6]", ReasonCode.PROTOCOL_ERROR);
            return;
        }
        Properties props = auth.properties() == null ? Properties.NONE : auth.properties();
        if (!authenticator.method().equals(props.authenticationMethod().orElse(null))) {
            core.violation(ProtocolViolation.UNEXPECTED_AUTH, "AUTH with Authentication Method "
                    + props.authenticationMethod().orElse("(none)") + ", not " + authenticator.method()
                    + " [MQTT-4.12.0-5]", ReasonCode.PROTOCOL_ERROR);
            return;
        }
        ReasonCode reason = ReasonCodes.of(auth.reasonCode(), Property.Where.AUTH);
        byte[] data = (byte[]) props.get(Property.AUTHENTICATION_DATA);
        if (reason == ReasonCode.CONTINUE_AUTHENTICATION) {
            byte[] answer;
            try {
                answer = authenticator.challenge(data);
            } catch (dev.wren.mqtt.Authenticator.AuthenticationException e) {
                authenticationFailed(e.getMessage());
                return;
            }
            if (!core.send(authPacket(ReasonCode.CONTINUE_AUTHENTICATION, answer))) { // [MQTT-4.12.0-3]
                core.closeWithDisconnect(DisconnectReason.AUTHENTICATION_FAILED, null, "no room in the transmit "
                        + "buffer for the AUTH answer of " + answer.length + " bytes", ReasonCode.UNSPECIFIED_ERROR);
                return;
            }
        } else if (reason == ReasonCode.SUCCESS && c.reauthenticating) {
            c.reauthenticating = false;
            try {
                authenticator.accepted(data);
            } catch (dev.wren.mqtt.Authenticator.AuthenticationException e) {
                authenticationFailed(e.getMessage());
                return;
            }
        } else {
            core.violation(ProtocolViolation.UNEXPECTED_AUTH, "AUTH with " + reason
                    + (reason == ReasonCode.SUCCESS ? " when no re-authentication was asked for"
                    : ", which a server may not send"), ReasonCode.PROTOCOL_ERROR);
            return;
        }
        core.emit(new MqttEvent.Auth(reason, props));
    }

    /** A successful CONNACK's end of the authentication; false, the connection ending, if it fails. */
    boolean accepted(Properties props) {
        dev.wren.mqtt.Authenticator authenticator = config.authenticator();
        if (!authenticator.method().equals(props.authenticationMethod().orElse(null))) {
            core.violation(ProtocolViolation.UNEXPECTED_AUTH, "CONNACK without the Authentication Method "
                    + authenticator.method() + " [MQTT-4.12.0-5]", ReasonCode.PROTOCOL_ERROR);
            return false;
        }
        try {
            authenticator.accepted((byte[]) props.get(Property.AUTHENTICATION_DATA));
            return true;
        } catch (dev.wren.mqtt.Authenticator.AuthenticationException e) {
            authenticationFailed(e.getMessage());
            return false;
        }
    }

    private Packet.Auth authPacket(ReasonCode reason, byte[] data) {
        Properties.Builder b = Properties.builder()
                .put(Property.AUTHENTICATION_METHOD, config.authenticator().method());
        if (data != null) {
            b.put(Property.AUTHENTICATION_DATA, data);
        }
        return new Packet.Auth(reason.value(), b.build());
    }

    /** See {@link ClientProtocol#reauthenticate()}; connected. */
    boolean reauthenticate(Connection c) {
        if (config.authenticator() == null) {
            throw new IllegalStateException("re-authentication needs an authenticator in the configuration");
        }
        if (c.reauthenticating) {
            throw new IllegalStateException("a re-authentication is under way");
        }
        if (!core.send(authPacket(ReasonCode.RE_AUTHENTICATE, config.authenticator().initialData()))) {
            return false;
        }
        c.reauthenticating = true;
        return true;
    }

    private void authenticationFailed(String message) {
        core.closeWithDisconnect(DisconnectReason.AUTHENTICATION_FAILED, null, message, ReasonCode.NOT_AUTHORIZED);
    }
}
