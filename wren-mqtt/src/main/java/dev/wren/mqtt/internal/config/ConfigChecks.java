package dev.wren.mqtt.internal.config;

import dev.wren.mqtt.internal.codec.Utf8;
import java.time.Duration;

/**
 * The checks the configuration builders make, each failing with a message that names the field.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfigChecks {
    private ConfigChecks() {
    }

    /** {@code s} must be a valid MQTT string (UTF-8, at most 65,535 bytes, no U+0000). */
    public static void checkString(String field, String s) {
        try {
            if (Utf8.encodedLength(s) > Utf8.MAX_STRING_BYTES) {
                throw new IllegalArgumentException(field + " is longer than 65535 bytes in UTF-8");
            }
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith(field)) {
                throw e;
            }
            throw new IllegalArgumentException(field + " is not a valid MQTT string: " + e.getMessage());
        }
    }

    /** {@code v} must lie in {@code min..max}. */
    public static int range(String field, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(field + " must be " + min + ".." + max + ", was " + v);
        }
        return v;
    }

    /** {@code d} must be longer than zero. */
    public static Duration positive(String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + (d == null ? "null" : describe(d)));
        }
        return d;
    }

    /** A duration as a person writes it: "-5 s", "1500 ms", not "PT-5S". */
    public static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 && d.toNanos() % 1_000_000 == 0 ? d.toSeconds() + " s"
                : d.toNanos() % 1_000_000 == 0 ? d.toMillis() + " ms" : d.toNanos() + " ns";
    }
}
