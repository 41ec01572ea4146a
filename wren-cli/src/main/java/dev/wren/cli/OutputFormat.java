package dev.wren.cli;

import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.MqttProperties;
import dev.wren.mqtt.UserProperty;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * {@code wren sub -F}: mosquitto_sub's output format. {@code %t} topic, {@code %p} payload, {@code %q} QoS,
 * {@code %r} retain flag, {@code %m} message id, {@code %l} payload length, {@code %x}/{@code %X} payload in hex,
 * {@code %I} ISO-8601 time, {@code %U} Unix time with nanoseconds, {@code %j} the message as JSON, and for MQTT 5.0
 * {@code %P} user properties, {@code %C} content type, {@code %D} correlation data, {@code %E} message expiry,
 * {@code %F} payload format, {@code %R} response topic, {@code %S} subscription identifiers; {@code %%}, and the
 * escapes {@code \n \t \\ \e}. A newline follows, as with mosquitto_sub, unless {@code -N}.
 *
 * <p>Immutable and thread-safe.
 */
final class OutputFormat {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ");
    private static final DateTimeFormatter ISO_MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'Z");

    private final String format;

    OutputFormat(String format) {
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if ((c == '%' || c == '\\') && i + 1 < format.length()) {
                char n = format.charAt(++i);
                boolean ok = c == '%' ? "tpqrmlxXIUjPCDEFRS%".indexOf(n) >= 0 : "nte\\".indexOf(n) >= 0;
                if (!ok) {
                    throw new UsageException("-F: unknown " + (c == '%' ? "format specifier %" : "escape \\") + n);
                }
            }
        }
        this.format = format;
    }

    /** The bytes to print for {@code m} at {@code now}, without the trailing newline. */
    byte[] render(MqttEvent.Publish m, Instant now) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] payload = m.payloadBytes();
        MqttProperties p = m.properties();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '\\' && i + 1 < format.length()) {
                char n = format.charAt(++i);
                out.write(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'e' -> 0x1b;
                    default -> '\\';
                });
            } else if (c == '%' && i + 1 < format.length()) {
                char n = format.charAt(++i);
                if (n == 'p') {
                    out.writeBytes(payload);
                } else if (n == 'D') {
                    out.writeBytes(p.correlationData().orElse(new byte[0]));
                } else {
                    out.writeBytes(field(n, m, p, payload, now).getBytes(StandardCharsets.UTF_8));
                }
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static String field(char n, MqttEvent.Publish m, MqttProperties p, byte[] payload, Instant now) {
        return switch (n) {
            case 't' -> m.topic();
            case 'q' -> String.valueOf(m.qos().code());
            case 'r' -> m.retain() ? "1" : "0";
            case 'm' -> String.valueOf(m.messageId());
            case 'l' -> String.valueOf(payload.length);
            case 'x' -> HexFormat.of().formatHex(payload);
            case 'X' -> HexFormat.of().withUpperCase().formatHex(payload);
            case 'I' -> ISO.format(now.atZone(ZoneId.systemDefault()));
            case 'U' -> now.getEpochSecond() + "." + String.format("%09d", now.getNano());
            case 'j' -> json(m, p, payload, now);
            case 'P' -> p.userProperties().stream().map(u -> u.name() + ":" + u.value())
                    .collect(Collectors.joining(" "));
            case 'C' -> p.contentType().orElse("");
            case 'E' -> p.messageExpiryInterval().isPresent() ? String.valueOf(p.messageExpiryInterval().getAsLong())
                    : "";
            case 'F' -> p.payloadIsUtf8() ? "1" : "0";
            case 'R' -> p.responseTopic().orElse("");
            case 'S' -> p.subscriptionIdentifiers().stream().map(String::valueOf).collect(Collectors.joining(","));
            case '%' -> "%";
            default -> throw new AssertionError(n);
        };
    }

    /** The message as one JSON object, with mosquitto_sub's field names. */
    static String json(MqttEvent.Publish m, MqttProperties p, byte[] payload, Instant now) {
        StringBuilder sb = new StringBuilder("{\"tst\":\"")
                .append(ISO_MICROS.format(now.atZone(ZoneId.of("UTC")))).append("\",\"topic\":");
        quote(sb, m.topic());
        sb.append(",\"qos\":").append(m.qos().code()).append(",\"retain\":").append(m.retain() ? 1 : 0);
        if (m.messageId() != 0) {
            sb.append(",\"mid\":").append(m.messageId());
        }
        sb.append(",\"payloadlen\":").append(payload.length);
        if (!p.isEmpty()) {
            sb.append(",\"properties\":{");
            int start = sb.length();
            if (p.payloadIsUtf8()) {
                sb.append("\"payload-format-indicator\":1,");
            }
            p.messageExpiryInterval().ifPresent(e -> sb.append("\"message-expiry-interval\":").append(e).append(','));
            p.contentType().ifPresent(t -> quote(sb.append("\"content-type\":"), t).append(','));
            p.responseTopic().ifPresent(t -> quote(sb.append("\"response-topic\":"), t).append(','));
            p.correlationData().ifPresent(d -> sb.append("\"correlation-data\":\"")
                    .append(HexFormat.of().formatHex(d)).append("\","));
            if (!p.subscriptionIdentifiers().isEmpty()) {
                sb.append("\"subscription-identifiers\":").append(p.subscriptionIdentifiers().toString()
                        .replace(" ", "")).append(',');
            }
            if (!p.userProperties().isEmpty()) {
                sb.append("\"user-properties\":{");
                for (UserProperty u : p.userProperties()) {
                    quote(sb, u.name()).append(':');
                    quote(sb, u.value()).append(',');
                }
                sb.setLength(sb.length() - 1);
                sb.append("},");
            }
            if (sb.length() > start) {
                sb.setLength(sb.length() - 1);
            }
            sb.append('}');
        }
        String text = utf8(payload);
        if (text != null) {
            quote(sb.append(",\"payload\":"), text);
        } else {
            sb.append(",\"payload_hex\":\"").append(HexFormat.of().formatHex(payload)).append('"');
        }
        return sb.append('}').toString();
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }
}
