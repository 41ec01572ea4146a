package dev.wren.mqtt;

/**
 * The MQTT protocol version a client speaks, chosen per client.
 *
 * <p>The version is a switch that the codec and the protocol state consult, not an assumption baked into
 * them: MQTT 5.0 will be added as a further constant.
 */
public enum ProtocolVersion {
    /** MQTT 3.1: protocol name {@code MQIsdp}, protocol level 3. */
    MQTT_3_1("MQIsdp", 3),
    /** MQTT 3.1.1: protocol name {@code MQTT}, protocol level 4. */
    MQTT_3_1_1("MQTT", 4);

    private final String protocolName;
    private final int level;

    ProtocolVersion(String protocolName, int level) {
        this.protocolName = protocolName;
        this.level = level;
    }

    /** The protocol name written in CONNECT. */
    public String protocolName() {
        return protocolName;
    }

    /** The protocol level byte written in CONNECT. */
    public int level() {
        return level;
    }
}
