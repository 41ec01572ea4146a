package dev.wren.mqtt.internal.codec;

import dev.wren.mqtt.ProtocolViolation;

/**
 * The only way the codec fails: a packet that breaks a rule of the protocol, with the rule and the details.
 */
public final class MalformedPacketException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ProtocolViolation violation;

    public MalformedPacketException(ProtocolViolation violation, String message) {
        super(message);
        this.violation = violation;
    }

    /** The rule the packet broke. */
    public ProtocolViolation violation() {
        return violation;
    }
}
