package dev.wren.mqtt;

/**
 * The MQTT protocol version a client speaks, chosen per client.
 *
 * <p>The version is a switch that the codec and the protocol state consult, not an assumption baked into
 * them. MQTT 5.0 adds properties, reason codes and the flow-control limits each side grants the other.
 */
public enum ProtocolVersion {
    /** MQTT 3.1: protocol name {@code MQIsdp}, protocol level 3. */
    MQTT_3_1("MQIsdp", 3),
    /** MQTT 3.1.1: protocol name {@code MQTT}, protocol level 4. */
    MQTT_3_1_1("MQTT", 4),
    /** MQTT 5.0: protocol name {@code MQTT}, protocol level 5. */
    MQTT_5("MQTT", 5);

    private final String protocolName;
    private final int level;

    ProtocolVersion(String protocolName, int level) {
        this.protocolName = protocolName;
        this.level = level;
    }

    /**
     * The protocol name written in CONNECT.
     *
     * @return the protocol name
     */
    public String protocolName() {
        return protocolName;
    }

    /**
     * Whether packets carry properties and reason codes (MQTT 5.0).
     *
     * @return whether it is MQTT 5.0
     */
    public boolean isMqtt5() {
        return this == MQTT_5;
    }

    /**
     * The protocol level byte written in CONNECT.
     *
     * @return the protocol level
     */
    public int level() {
        return level;
    }
}
