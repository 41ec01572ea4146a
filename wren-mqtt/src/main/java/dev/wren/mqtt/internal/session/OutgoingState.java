package dev.wren.mqtt.internal.session;

/**
 * Where an outgoing packet identifier stands (MQTT 3.1.1 section 4.3). A QoS 1 PUBLISH goes
 * {@code AWAIT_PUBACK} → done; a QoS 2 PUBLISH {@code AWAIT_PUBREC} → ({@code PUBREL_TO_SEND} with manual
 * acknowledgements) → {@code AWAIT_PUBCOMP} → done.
 */
public enum OutgoingState {
    /** QoS 1 PUBLISH sent; its PUBACK is awaited. Part of the session. */
    AWAIT_PUBACK("PUBACK", true),
    /** QoS 2 PUBLISH sent; its PUBREC is awaited. Part of the session. */
    AWAIT_PUBREC("PUBREC", true),
    /** Manual acknowledgements: PUBREC arrived, the application is to send PUBREL. Part of the session. */
    PUBREL_TO_SEND("the application's PUBREL", true),
    /** PUBREL sent; its PUBCOMP is awaited. Part of the session. */
    AWAIT_PUBCOMP("PUBCOMP", true),
    /** SUBSCRIBE sent; its SUBACK is awaited. Ends with the connection. */
    AWAIT_SUBACK("SUBACK", false),
    /** UNSUBSCRIBE sent; its UNSUBACK is awaited. Ends with the connection. */
    AWAIT_UNSUBACK("UNSUBACK", false),
    /** A PUBREL sent for a PUBREC of an identifier not in flight: its PUBCOMP is taken silently. */
    ORPHAN_PUBCOMP("the PUBCOMP of a PUBREL sent for an unknown PUBREC", false);

    private final String awaits;
    private final boolean sessionState;

    OutgoingState(String awaits, boolean sessionState) {
        this.awaits = awaits;
        this.sessionState = sessionState;
    }

    /** What the identifier waits for, for messages. */
    public String awaits() {
        return awaits;
    }

    /** Whether this belongs to the session (kept across connections) rather than to one connection. */
    public boolean sessionState() {
        return sessionState;
    }
}
